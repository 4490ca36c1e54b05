"""Word lists the borough is built from: people's names by origin, streets, buildings, businesses.

Inner-London boroughs are diverse, so names come from a dozen origins with rough shares; a
household shares an origin most of the time. Nicknames give the name variants that different
systems record for the same person ("Robert" / "Bob" / "R").
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# -- people's names ------------------------------------------------------------------------------
# Each list is written most common first, from public-domain frequency knowledge (ONS baby-name
# tables across the decades for British first names, surname frequencies from census-era counts,
# and the common names of each community in the UK). A name's weight falls with its rank as a
# Zipf-like law (see :func:`rank_weights`), so a few names are common and most are rare, as in a
# real register. Surnames end with a long tail of rarer English place-name surnames.

#: Zipf exponents and rank offset: weight ``1 / (rank + 25) ** 0.75`` for surnames (the top British
#: surname about 0.5% of British-origin people, the 100th about a third of that, then a long tail) and
#: flatter for first names (a register mixes generations, each with its own fashions). Calibrated so
#: that a few per cent of a borough's people share their full name with someone unrelated, as measured
#: by tests/synth/test_names.py; the share grows with the borough (about 3% at 25,000 people).
FIRST_NAME_EXPONENT = 0.6
SURNAME_EXPONENT = 0.75
NAME_RANK_OFFSET = 25.0
#: Share of people of any other origin whose first name is from the British list (children born
#: here, anglicised names): in a real register the communities' first names mix.
BRITISH_FIRST_NAME_SHARE = 0.25


def rank_weights(count: int, exponent: float, offset: float = NAME_RANK_OFFSET) -> tuple[float, ...]:
    """Weights for names ranked 1..count: ``1 / (rank + offset) ** exponent``, summing to one.

    >>> [round(w, 3) for w in rank_weights(3, 1.0, 0.0)]
    [0.545, 0.273, 0.182]
    """
    raw = [1.0 / (rank + offset) ** exponent for rank in range(1, count + 1)]
    total = sum(raw)
    return tuple(w / total for w in raw)


def _ranked(text: str) -> tuple[str, ...]:
    """Words in order, each once (a name repeated later in a list keeps its first, higher rank)."""
    return tuple(dict.fromkeys(text.split()))


_PLACE_STEMS = _words("""Ash Brad Whit Hol Ather Bam Black Brom Carl Chad Cross Dal Dun Eger Fair Green Hart Hay
    Hun King Lang Lid Mar Mid North Old Pen Rad Ram Red Rush South Stan Stock Thorn Wake Wal West Wick Wood
    Ald Ap Bar Bur Chil Cly Craw Ed Elm Ever Far Gar Glad Hadd Haw Hes Ing Kel Kings Lath Lock Mal Man Ned
    Nor Ock Pad Pick Pres Rod Sand Sher Shel Stam Sud Swin Tad Thur Wad War Wen Wil Wool Yar""")
_PLACE_ENDS = _words("worth ley field ton ham by stone wood well ford hurst dale bury combe more")
_ENGLISH_PLACE_SURNAMES = tuple(sorted({a + b for a in _PLACE_STEMS for b in _PLACE_ENDS}))

_BRITISH_FEMALE = _ranked("""Sarah Emma Laura Claire Rebecca Charlotte Emily Jessica Sophie Hannah Lucy Amy
    Rachel Katie Olivia Amelia Chloe Megan Lauren Jennifer Nicola Helen Elizabeth Victoria Samantha Louise
    Kelly Joanne Lisa Michelle Karen Susan Margaret Patricia Catherine Jane Julie Deborah Tracey Alison Angela
    Caroline Mary Anne Elaine Christine Linda Sandra Janet Carol Jacqueline Gemma Stacey Natalie Danielle Zoe
    Jade Leanne Holly Ellie Grace Ruby Mia Isla Ava Poppy Isabella Evie Freya Florence Alice Matilda Phoebe
    Imogen Abigail Eleanor Georgia Millie Lily Daisy Scarlett Esme Harriet Rosie Erin Eloise Maisie Emilia
    Isabelle Anna Bethany Kirsty Kimberley Hayley Donna Dawn Sharon Wendy Jill Barbara Dorothy Joan Valerie
    Pauline Brenda Shirley Irene Sheila Maureen Jean Pamela Gillian Beverley Lesley Diane Teresa Heather Fiona
    Rachael Kathryn Katherine Clare Natasha Melissa Vanessa Jenna Amber Paige Shannon Courtney Rebekah Naomi
    Ruth Esther Jasmine Summer Hollie Martha Beatrice Edith Violet Elsie Maya Willow Aria Ivy Ella Sienna
    Lola Lydia Sophia Harper Evelyn Penelope Rose Iris Nancy Mabel Thea Orla Maria Frances Joyce Hilda
    Marion Rita Doreen Yvonne Lorraine Tina Debra Andrea Carole Sally Jennie Emma-Jane Gail Judith Hazel
    Rosemary Josephine Kathleen Bridget Gwen Megan Bethan Cerys Rhiannon Ffion Eilidh Kirsten Morag Ailsa""")
_BRITISH_MALE = _ranked("""David John Michael Paul Andrew James Mark Richard Robert Peter Christopher Stephen
    Daniel Thomas Matthew Ian Simon Steven Anthony William Jonathan Gary Kevin Martin Alan Jason Lee Darren
    Neil Craig Stuart Adam Benjamin Samuel Joshua Luke Jack Oliver Harry George Charlie Jacob Alfie Noah Oscar
    Leo Freddie Archie Henry Theo Arthur Joseph Edward Alexander Ryan Liam Callum Jamie Ben Nathan Dean Scott
    Shaun Carl Wayne Philip Graham Colin Keith Brian Kenneth Roger Barry Terry Malcolm Derek Trevor Geoffrey
    Raymond Roy Dennis Gordon Ronald Nigel Tony Russell Duncan Gareth Gavin Glen Jeremy Nicholas Timothy
    Patrick Sean Kieran Connor Bradley Jordan Aaron Reece Tyler Kyle Lewis Max Toby Joe Sam Dylan Ethan
    Harrison Louis Finley Teddy Tommy Reggie Ronnie Albert Frederick Hugo Rory Elliot Sebastian Isaac Zachary
    Tobias Rufus Felix Hugh Rupert Dominic Vincent Francis Frank Stanley Harold Leonard Norman Ernest Eric
    Victor Howard Clive Adrian Rodney Lawrence Marcus Jake Jay Joel Danny Ashley Robin Stewart Ross Alistair
    Hamish Angus Fraser Euan Rhys Dafydd Owain Gethin Iwan Ewan Grant Murray Bruce Douglas Allan Walter Jimmy
    Billy Alfred Sidney Cyril Maurice Bernard Gerald Jeffrey Leslie Donald Kenny Mohammed Ellis Jude Jenson""")
_BRITISH_SURNAMES = _ranked("""Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts
    Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner
    Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson
    Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw
    Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Wilkinson Foster Chapman Powell
    Webb Rogers Gray Mason Hunt Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell
    Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Fletcher Walsh Gibson Howard Andrews
    Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley
    Spencer Gill Dawson Ball Burton Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart
    Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid
    Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Dean Lane Cooke
    Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls
    Hamilton Sutton McDonald Yates Hodgson Robson Curtis Hopkins Harper Coleman Watkins Moss Chambers Griffin
    Sharp Hardy Wheeler Potter Osborne Johnston Gordon Wallace George Jordan Hutchinson Rowe May Pritchard
    Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond Arnold Buckley Walters Hewitt Barber Nelson
    Slater Austin Sullivan Whitehouse Randall Fuller Bolton Norris Howe Chandler Dale Steele Sheppard Howell
    Blake Lambert Fraser Pope Sims Crawford Glover Tucker Kemp Goodwin Hyde Rowley Moran Davey Lamb Frost
    Rhodes Hancock Hobbs Barlow Cartwright Kirby Whittaker Haynes Tomlinson Lord Gough Bowen Sanders Abbott
    Bond Cunningham Bartlett Mann Connolly Leach Kerr Peacock Brady Lucas Coates Farmer Parkinson Little Banks
    Hale Norton Goddard Warner Chadwick Dyer Swift Barton Hobson Haines Howarth Briggs Preston Welch Wilkins
    Finch Nash Savage Douglas Cameron Weston Pollard Sanderson Jarvis Middleton Whitehead Pickering Tyler
    Summers Jennings Vincent Skinner Sykes Ashton Fowler Field Sharpe Baxter Fleming Carroll Barry Bull Perkins
    Hurst Dobson Clayton Storey Reeves Davidson Holt Heath Chamberlain Charlton Horton Marsden Manning Kirk
    Mellor Tate Barnett Gould Fenton Thornton Greenwood Holloway Bentley Pugh Winter Alexander Allan Poole
    Wade Rowland Clements Bowden Knowles Stanley Benson Cope Garner Hodges Humphreys Jeffery Kay Lowe Mackenzie
    Mathews Nixon North Oakley Paterson Quinn Rawlings Rowlands Sinclair Stubbs Thorpe Trevor Upton Vaughan
    Walters Whitfield Wilde Wyatt Ainsworth Akers Ambrose Appleby Archer Ashby Askew Atherton Attwood Avery
    Aylett Bagley Bamford Barnard Barr Batchelor Baines Beckett Bellamy Benn Best Bevan Birch Blackburn Blackwell
    Bloggs Blundell Bostock Boyle Bradshaw Bramley Bray Brewer Bridges Brookes Broughton Buck Bullock Burrows
    Bush Butcher Calvert Carey Carpenter Cave Challis Chan Chaplin Cheshire Churchill Clifford Clough Cobb
    Coles Colley Compton Conway Corbett Cotton Coulson Cowan Crane Crook Crossley Crowther Dalton Daniels Dart
    Dawes Daly Denton Dickinson Dodd Doherty Donnelly Dove Drake Duffy Dudley Duke Dunne Eaton Emery England
    Everett Fairclough Farrell Faulkner Fielding Firth Flynn Forbes Foley Fountain Fox Frankland Gale Gamble
    Gardiner Garrett Gates Gibbons Gibbs Godfrey Golding Goodman Gosling Grady Greaves Griffith Hadley Hall
    Hampton Hanley Harman Hartley Hastings Hawes Hayward Healey Hendry Herbert Hicks Hinds Hogg Holden Hollis
    Hooper Hope Horne Howells Hoyle Hull Humphries Ingram Irwin Ives Jacobs Joyce Keane Keeling Kent Kirkpatrick
    Knott Lacey Lake Lang Langley Law Lawson Leigh Lester Lilley Lindsay Lomax Lovell Lucas Lynn Mallon Marriott
    Maxwell Meadows Metcalfe Moody Morley Morrison Morton Nolan Noble Nunn Osman Owens Parkes Partridge Peck
    Penny Pike Platt Plummer Pratt Proctor Pryce Radford Rae Ramsey Rankin Ray Rice Ridley Rigby Robbins Rollins
    Rooney Roper Rudd Rushton Salt Sargent Seymour Shields Short Simmons Small Snow Spence Spicer Squires Stark
    Sterling Stokes Strong Swan Talbot Tanner Thomson Tierney Todd Townsend Tuck Underwood Vickers Wainwright
    Walsh Warburton Waters Watt Weaver Whitley Whitmore Wiggins Winstanley Wise Woodcock Woolley Worrall Yeo""")



def _compounds(stems: str, ends: str) -> tuple[str, ...]:
    """Rarer surnames of a community built the way its names are built (stem + ending), for the tail."""
    return tuple(sorted({a + b for a in stems.split() for b in ends.split()}))


#: Long tails of each community's surnames, after its common ones.
_TAILS = {
    "irish": _compounds("O'Brad O'Carr O'Dono O'Flah O'Gorm O'Hall O'Hanl O'Kell O'Lough O'Mall O'Rour Mac McAl "
                        "McCorm McDerm McElr McFadd McGill McGov McKeev McLoughl McNam McSweeny Mulc Kilk",
                        "an ey in ahan igan ey ell on"),
    "south_asian": _compounds("Ahlu Bhat Chak Dhan Gar Jay Kul Mal Nag Pad Pras Rag Ram San Shan Sub Tri Vas "
                              "Ven Vij Raj Sid Moh Rah Has Ash Kam",
                              "wal walia ani ari andani chandani kar pal raj ram deen uddin ullah"),
    "west_african": _compounds("Ade Ako Ayo Ola Olu Oye Ogu Oba Abi Ibe Chi Eke Nwa Oko Ama Kwa Ofo Osa Ayi Ige",
                               "bayo bola dele femi kunle mide nike tola wale yemi nna meka nedu boah teng mah"),
    "east_african": _compounds("Abdi Ali Hass Moha Osm Yus Ism Ibr Far War Jam Dir Ader Gul Hir Qas Rob Shir",
                               "ow ane ile aad ire ale ole uur eh i"),
    "eastern_european": _compounds("Kowal Nowak Zielin Lewand Kamin Grab Pawl Jabl Wrob Majew Olsz Jawor Malin "
                                   "Ostrow Tomasz Witk Gors Rutk Michal Krawc Kaczm Adamc Dudk Walcz Sikor Szew "
                                   "Pop Ion Dumitr Stoic Gheorgh Munt Cioban Petr Jank Kazl Butk Urb Shev Bond "
                                   "Koval Tkach Lys Horv Petrov Jovan Nikol Mark",
                                   "ski czyk ak ek owski ewicz escu eanu enko auskas ic ov"),
    "turkish": _compounds("Kara Ak Ay Dem Er Gul Kay Koc Oz Sar Tas Yil Bay Can Cel Dog Gun Kil Sah Tek Ucar "
                          "Ars Bal Cak Dur Ert Gok Kes Kor Yav",
                          "soy oglu dag han kaya tas can er ay demir yurt"),
    "east_asian": _compounds("Zh Ch Sh L W Y X H G K M T", "ang ong eng ian uan ao ui un in"),
    "arabic": _compounds("Al-Ab Al-Am Al-Har Al-Jab Al-Kar Al-Mas Al-Nas Al-Qad Al-Rah Al-Sab Al-Tam Al-Zah "
                         "Abu-Gh Abu-Kh Abu-Sa Bin-Sa Bin-Ha", "di ri bi ani oud ash ir een"),
    "southern_european": _compounds("Alm Bar Car Cost Fer Gal Lom Mar Mor Pal Rib San Tor Val Vil Bel Cas Fon "
                                   "Gar Mont Pin Ros", "eira ello ini etti ardo ano ozzi ales ez osa ucci"),
    "other": _compounds("Acker Berg Blum Eisen Feld Gold Gruen Hoch Klein Lind Rosen Schon Stein Wald Weiss "
                        "Zimmer Bern Holm Lund Strom", "mann berg feld stein baum thal heim ner er"),
    "caribbean": (),
}

ORIGINS: dict[str, tuple[float, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # origin: (share, female first names, male first names, surnames), each list most common first
    "british": (0.38, _BRITISH_FEMALE, _BRITISH_MALE, _BRITISH_SURNAMES + _ENGLISH_PLACE_SURNAMES),
    "irish": (0.04, _ranked("""Mary Siobhan Aoife Niamh Ciara Sinead Orla Grainne Roisin Mairead Brigid Aisling
        Caoimhe Clodagh Deirdre Eimear Fionnuala Maeve Nuala Saoirse Sorcha Una Ailbhe Blathnaid Catriona
        Dearbhla Emer Laoise Muireann Oonagh Patricia Bernadette Colette Majella Philomena Concepta"""),
        _ranked("""Sean Patrick Cormac Declan Padraig Eoin Ciaran Liam Niall Conor Donal Brendan Colm Dermot
        Eamon Fergal Finbar Fintan Lorcan Oisin Ronan Seamus Tadhg Cathal Diarmuid Enda Fionn Killian Malachy
        Odhran Ruairi Shane Aidan Cillian Darragh Gearoid Kevin Michael Gerard Brian Martin Noel"""),
        _ranked("""Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill Doyle McCarthy Gallagher
        O'Doherty Kennedy Lynch Quinn Fitzgerald McLaughlin Brennan Dunne Burke Daly Kavanagh Nolan Power
        Reilly Maguire Keane Moloney Murray Hayes Flanagan Sheehan Duffy Foley Healy Higgins Kearney Brady
        Boyle Connolly Cullen Cunningham Farrell Fitzpatrick Hogan Hughes Mahon Moore McGrath McMahon Molloy
        O'Callaghan O'Donnell O'Dwyer O'Keeffe O'Leary O'Mahony O'Reilly O'Shea Regan Sweeney Tobin Whelan
        Carroll Cassidy Clancy Coffey Corcoran Costello Cronin Curran Dempsey Devlin Egan Gilmore Hennessy
        Lennon Lyons Madden McCann McGuinness McKenna Mulligan Nugent Phelan Rafferty Rooney Scanlon""")),
    "south_asian": (0.12, _ranked("""Fatima Aisha Priya Ayesha Nadia Sana Anjali Shreya Pooja Zara Amira Farah
        Nusrat Rukhsana Shabana Tahmina Sunita Kavita Meena Rekha Asma Yasmin Shazia Maryam Zainab Hafsa Khadija
        Aaliyah Anika Aditi Divya Deepa Geeta Harpreet Jasmeet Jaspreet Kiran Lakshmi Manpreet Nazia Neha Nisha
        Parveen Rani Rubina Sabrina Safiya Saima Salma Samina Sapna Seema Shahida Shamima Shilpa Simran Sonia
        Sumaiya Sunaina Tasnim Uzma Vandana Afsana Amina Bushra Farzana Habiba Humaira Jannat Mahmuda Nasreen
        Nilufa Rehana Rozina Ruksana Sabina Shirin Sultana Tania Rima Hina Mehwish Iqra Alisha Riya Isha Anaya"""),
        _ranked("""Mohammed Muhammad Ahmed Ali Hassan Raj Arjun Rahul Vikram Imran Abdul Rizwan Kamran Sanjay
        Amit Rohan Harpreet Gurpreet Sukhdev Faisal Tariq Shahid Nasir Rashid Jamal Ibrahim Yusuf Zain Ayaan
        Aryan Rayyan Hamza Usman Bilal Adnan Asif Aziz Farhan Habib Irfan Javed Kashif Khalid Mahmood Majid
        Mustafa Nadeem Naveen Nitin Omar Pradeep Rajesh Ramesh Ravi Sachin Salman Sameer Shafiq Shakil Sohail
        Suresh Umar Vijay Waqar Zubair Anwar Akash Ashok Deepak Dinesh Ganesh Harjit Jaswinder Kuldeep
        Manjit Mukesh Nikhil Paramjit Rakesh Sandeep Sunil Tarun Vinod Yasin Rafiq Shamsul Jahangir Abul Mizanur
        Mahbub Moinul Nazrul Rezaul Saiful Shahin Sohel Kabir"""),
        _ranked("""Patel Khan Ahmed Hussain Ali Begum Rahman Islam Uddin Miah Shah Singh Kaur Sharma Gupta
        Kumar Chowdhury Akhtar Iqbal Malik Choudhury Mistry Desai Joshi Parmar Sandhu Gill Bibi Hossain Mahmood
        Aslam Anwar Arshad Aziz Butt Chaudhry Hassan Haque Hoque Javed Karim Latif Mahmud Mirza Mohammed Nawaz
        Qureshi Rashid Raza Riaz Saeed Sheikh Siddiqui Sultan Tahir Yousaf Zaman Alam Amin Ashraf Bashir
        Chauhan Dhillon Gandhi Grewal Jadeja Johal Kapoor Lal Mehta Modi Nair Pandya Rai Rana Rao Reddy Sahota
        Sangha Saini Sethi Shukla Sidhu Solanki Soni Thakkar Thakur Verma Bains Bhatti Dhaliwal Kang Mann
        Randhawa Atwal Basra Bhogal Chana Lally Mahal Panesar Rathore Sohal Tiwana Uppal Virdi Ahmad Akram
        Ansari Bhuiyan Haider Jamil Kabir Khatun Mollah Munshi Nahar Rana Sarkar Talukder Ullah""")),
    "west_african": (0.07, _ranked("""Blessing Grace Precious Adaeze Chiamaka Ngozi Folasade Funmilayo Abena
        Akosua Ama Efua Yetunde Chioma Ifeoma Titilayo Omolara Adwoa Afua Akua Yaa Esi Adjoa Abimbola Adenike
        Bukola Damilola Funke Kemi Morenike Oluwakemi Temitope Tolulope Bisi Chinwe Chinyere Ebere Nkechi
        Obiageli Uchenna Amaka Ogechi Nneka Adanna Ijeoma Joy Mercy Patience Comfort Gifty Favour Peace
        Esther Deborah Ruth Victoria Rita Aminata Fatou Mariama Isatou Kadiatou Hawa Binta"""),
        _ranked("""Emmanuel Samuel Daniel Michael David Chukwuemeka Oluwaseun Adebayo Kwame Kofi Kwabena Emeka
        Tunde Babatunde Obinna Chinedu Olumide Segun Femi Yaw Ebenezer Nnamdi Kwaku Kwasi Kojo Kweku Yaw Ade
        Adewale Akinwale Ayodele Bamidele Dapo Gbenga Kayode Kunle Olawale Oluwafemi Rotimi Tayo Wale Chidi
        Chijioke Chike Ifeanyi Ikenna Kelechi Nonso Uche Ugochukwu Godwin Prince Solomon Isaac Joseph Francis
        Kingsley Felix Richard Stephen Ibrahim Mamadou Ousmane Abdoulaye Lamin Modou Alieu Momodou"""),
        _ranked("""Okafor Adeyemi Okonkwo Mensah Asante Boateng Owusu Adebayo Oladipo Nwosu Eze Obi Balogun
        Ogunleye Danso Appiah Afolabi Olawale Okoro Nwachukwu Ofori Adjei Agyeman Amoah Ansah Antwi Arthur
        Asamoah Badu Darko Donkor Frimpong Gyamfi Kusi Manu Nkrumah Osei Quaye Sarpong Tetteh Yeboah Adeleke
        Adeniyi Adewale Ajayi Akande Akinola Alabi Babalola Bello Fashola Ibrahim Lawal Ogundipe Ogunbiyi
        Okeke Okoye Olaniyan Oni Onyeka Oyelaran Salami Adekunle Anyanwu Chukwu Ezeh Ibe Nnadi Nwankwo Obiora
        Odukoya Ojo Okafor Okeke Okonjo Onuoha Uzor Bangura Conteh Kamara Jalloh Sesay Koroma Turay Diallo
        Ceesay Jallow Njie Touray Bah Sowe""")),
    "caribbean": (0.05, _ranked("""Shanice Tanisha Keisha Marcia Beverley Janice Paulette Sonia Andrea Yvonne
        Sharon Michelle Jacqueline Donna Claudette Hyacinth Merlene Marlene Pearl Gloria Joy Carmen Norma
        Monica Cheryl Simone Natasha Kemi Chantelle Jodie Leanne Tamika Latoya Kerry-Ann Shauna Tiffany"""),
        _ranked("""Delroy Winston Errol Leroy Trevor Clive Marlon Devon Dwayne Everton Lloyd Desmond Linton
        Neville Carlton Lincoln Wesley Courtney Junior Ricardo Andre Damian Kirk Omar Jermaine Tyrone Kareem
        Marcus Nathaniel Curtis Denzel Jerome Ashley Dean Garfield Hopeton Fitzroy"""),
        _ranked("""Campbell Brown Williams Grant Reid Francis Morgan Henry Gordon Lewis Forbes Clarke Daley
        Bailey Thomas Robinson Johnson Smith Richards Wright Allen Graham James Walker Edwards Stewart Green
        Hall McKenzie Brooks Spence Bryan Dixon Powell Gayle Ellis Bennett Ferguson Samuels Blake Simpson
        Lindsay Hinds Barrett Jarrett Mullings Beckford Rattray Burrell Chambers Dennis Facey Gooden Hylton
        Hewitt Hines Lawrence Nelson Palmer Reynolds Salmon Scarlett Tulloch Whyte Wint""" + " "
        + " ".join(_BRITISH_SURNAMES))),  # Caribbean surnames are mostly British ones
    "east_african": (0.03, _ranked("""Amina Hodan Fadumo Sahra Ifrah Faduma Ubah Hawa Asha Nimco Fartun Hibo
        Khadra Maryan Muna Naima Sagal Sucaad Warsan Zamzam Ayan Deeqa Filsan Hamdi Ikran Kowsar Layla Ruqia
        Saida Shukri Yasmin Abeba Meron Selam Tigist Hiwot Helen Saba Winta Senait"""),
        _ranked("""Abdi Abdullahi Mohamed Hassan Omar Yusuf Said Ismail Ahmed Abdirahman Abdikadir Abdirizak
        Ali Bashir Farah Guled Hamza Ibrahim Jama Khalid Liban Mahad Mukhtar Osman Sharmarke Warsame Yonis
        Aden Bilal Dahir Hussein Idris Mustafa Nur Salah Tewodros Dawit Yonas Samuel Biniam Tesfaye Mesfin"""),
        _ranked("""Abdi Warsame Farah Hassan Osman Mohamud Jama Ali Egal Hersi Gedi Nur Aden Ahmed Duale Elmi
        Guled Hussein Ibrahim Ismail Mohamed Muse Noor Omar Samatar Sheikh Warfa Yusuf Abdullahi Abdulle
        Bashir Dirie Farah Hirsi Isse Jibril Khalif Mire Nuur Qassim Roble Salad Shire Tahlil Tesfaye Bekele
        Haile Girma Tadesse Alemu Mekonnen Gebre Kebede Tekle Woldemariam""")),
    "eastern_european": (0.09, _ranked("""Anna Agnieszka Katarzyna Magdalena Joanna Monika Ewa Alina Ioana
        Elena Andreea Jurgita Ruta Ieva Kristina Natalia Oksana Daria Aleksandra Barbara Beata Dorota Iwona
        Justyna Karolina Kinga Malgorzata Marta Paulina Sylwia Weronika Zofia Adriana Alexandra Bianca
        Cristina Daniela Gabriela Georgiana Irina Larisa Mihaela Raluca Simona Aiste Egle Greta Inga Laura
        Lina Vaida Viktorija Anastasia Ekaterina Irina Olga Svetlana Tatiana Yulia Kateryna Olena Iryna Lilia
        Ivana Petra Lucie Zuzana Veronika Martina Eva Jana Dora Eszter Reka Zsofia Maja Nina Milena Silvia"""),
        _ranked("""Piotr Krzysztof Tomasz Pawel Marek Michal Jakub Andrei Ion Mihai Florin Tomas Mindaugas
        Darius Jonas Dmytro Oleksandr Bogdan Vasile Lukasz Adam Bartosz Dawid Grzegorz Kamil Marcin Mateusz
        Przemyslaw Rafal Sebastian Wojciech Adrian Alexandru Cristian Constantin Gabriel George Ionut Marius
        Nicolae Stefan Valentin Arturas Dainius Giedrius Mantas Paulius Rokas Saulius Vytautas Aleksandr
        Dmitri Igor Maxim Sergei Vladimir Andriy Taras Yuriy Viktor Petr Martin Jan Lukas Ondrej Laszlo Zoltan
        Gabor Istvan Milan Marko Nikola Dusan Goran Aleksandar"""),
        _ranked("""Nowak Kowalski Wisniewski Wojcik Kaminski Lewandowski Zielinski Popescu Ionescu Popa Dumitru
        Stan Kazlauskas Jankauskas Petrauskas Shevchenko Bondarenko Kovalenko Horvath Novak Szabo Kowalczyk
        Wozniak Mazur Krawczyk Kaczmarek Piotrowski Grabowski Pawlowski Michalski Krol Wieczorek Jablonski
        Wrobel Nowakowski Majewski Olszewski Stepien Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak
        Gorski Witkowski Walczak Sikora Baran Rutkowski Michalak Szewczyk Ostrowski Tomaszewski Pietrzak
        Constantin Stoica Gheorghe Rusu Munteanu Matei Ciobanu Lazar Florea Radu Marin Tudor Ene Ilie Moldovan
        Vasile Barbu Nistor Toma Zukauskas Butkus Paulauskas Urbonas Vasiliauskas Navickas Ivanov Smirnov
        Kuznetsov Popov Sokolov Melnyk Tkachenko Kravchenko Oliynyk Lysenko Kovac Nagy Toth Kiss Molnar Varga
        Farkas Balogh Petrovic Jovanovic Nikolic Markovic Dvorak Svoboda Cerny Prochazka""")),
    "turkish": (0.05, _ranked("""Ayse Fatma Elif Zeynep Emine Hatice Merve Esra Derya Gulsen Sibel Ozlem Hulya
        Serap Songul Tulay Dilek Burcu Ebru Gamze Aylin Asli Ceren Deniz Ece Ela Melek Nur Sevgi Yasemin
        Gulay Hacer Leyla Melike Nermin Pinar Selin Sultan Tugba Ozge"""),
        _ranked("""Mehmet Mustafa Ahmet Ali Huseyin Hasan Ibrahim Murat Emre Cem Kemal Orhan Osman Yusuf Omer
        Ismail Ramazan Halil Suleyman Abdullah Mahmut Recep Fatih Serkan Burak Erkan Hakan Levent Selim Tolga
        Volkan Baris Can Deniz Eren Kaan Mert Onur Ozan Sinan Tarik Umut Yasin Erdogan"""),
        _ranked("""Yilmaz Kaya Demir Sahin Celik Yildiz Yildirim Ozturk Aydin Ozdemir Arslan Dogan Kilic
        Aslan Cetin Kara Koc Kurt Ozkan Simsek Polat Ozcan Korkmaz Cakir Erdogan Yavuz Can Acar Sen Aktas
        Guler Yalcin Gunes Bozkurt Bulut Keskin Unal Turan Gul Ozer Isik Kaplan Avci Sari Tas Akin Ates
        Karaca Ekinci Altun Mustafa Yuksel Coskun Tekin Ipek Kocak Tunc Balci Savas Orhan Akbulut Uysal""")),
    "east_asian": (0.04, _ranked("""Wei Mei Ling Xiu Yan Jing Hui Min Li Na Hong Thi Lan Mai Linh Xin Ying
        Fang Hua Juan Lei Ping Qing Rui Ting Xia Yu Yun Zhen Hoa Huong Ngoc Thu Trang Yuki Yumi Hana Sakura
        Ji-woo Min-ji Seo-yeon Su-bin Grace Jenny Michelle Vivian Winnie Cindy Joyce Ivy"""),
        _ranked("""Wei Jun Hao Ming Jian Lei Tao Yong Chen Minh Tuan Hung Duc Bo Cheng Feng Gang Hui Jie Kai
        Long Peng Qiang Tian Xiang Yang Yi Zhi Anh Binh Cuong Dung Hai Long Nam Quang Son Thanh Hiroshi Kenji
        Takeshi Min-jun Ji-hoon Seo-jun Kevin Jason Eric Kenneth Raymond Vincent Alan"""),
        _ranked("""Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Nguyen Tran Le Pham Lam Wong Chan
        Zhu Hu Guo He Gao Lin Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan
        Pan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong
        Ly Cheung Leung Ho Ng Yip Tse Lau Kwok Chow Tang Fung Kim Lee Park Choi Jung Kang Cho Yoon Sato
        Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi""")),
    "arabic": (0.03, _ranked("""Mariam Layla Noor Huda Rania Salma Dina Hana Leila Samira Fatima Aya Amal
        Asma Basma Dalia Farida Ghada Hiba Iman Jamila Lina Lubna Maha Mona Nada Nour Rana Reem Sara Sawsan
        Yasmin Zainab Zeina Abir Bushra"""),
        _ranked("""Omar Khalid Youssef Karim Tarek Ahmad Hamza Bilal Sami Walid Mohamed Mahmoud Mustafa Ali
        Hassan Hussein Ibrahim Adel Ayman Bassam Fadi Faris Ghassan Hadi Hisham Imad Jamal Kamal Majid Marwan
        Nabil Nasser Rami Rashid Said Salim Tamer Yasser Ziad Amir"""),
        _ranked("""Haddad Khalil Mansour Nasser Saleh Hamdan Aziz Karam Sabbagh Darwish Qureshi Abbas Abdallah
        Ahmad Ali Amin Ayoub Bakr Barakat Daoud Farouk Ghanem Habib Hamad Hamid Hassan Hussein Ibrahim Ismail
        Jaber Kassem Khoury Mahmoud Masri Mohamed Mousa Mustafa Nassar Omar Qasim Rahman Rashid Saad Said
        Salem Shami Suleiman Taha Yassin Youssef Zaki Zayed Haddadin Tamimi Jaafar Al-Hashimi Al-Sayed""")),
    "southern_european": (0.06, _ranked("""Maria Ana Sofia Francesca Giulia Chiara Lucia Carmen Isabel Beatriz
        Ines Marta Rita Gabriela Juliana Fernanda Alessandra Alessia Elena Federica Giorgia Martina Sara Silvia
        Valentina Laura Paula Cristina Elisa Andreia Catarina Daniela Filipa Joana Mariana Patricia Raquel
        Teresa Alba Ainhoa Irene Lorena Nerea Noelia Rocio Pilar Eleni Dimitra Georgia Katerina Sofia Vasiliki"""),
        _ranked("""Joao Pedro Miguel Luis Carlos Jose Antonio Francesco Marco Luca Giuseppe Alessandro Diego
        Rafael Tiago Bruno Andre Andrea Davide Federico Giovanni Lorenzo Matteo Paolo Riccardo Roberto Simone
        Stefano Alberto Daniel David Fernando Javier Jorge Manuel Pablo Sergio Alvaro Ricardo Rui Nuno Paulo
        Goncalo Vasco Duarte Dimitris Georgios Konstantinos Nikolaos Yiannis Christos Panagiotis"""),
        _ranked("""Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa Fernandes Gomes Rossi
        Russo Ferrari Esposito Bianchi Romano Garcia Martinez Lopez Sanchez Perez Gonzalez Almeida Alves
        Carvalho Lopes Marques Ribeiro Pinto Teixeira Correia Mendes Nunes Soares Vieira Monteiro Cardoso
        Rocha Colombo Ricci Marino Greco Bruno Gallo Conti DeLuca Mancini Costa Giordano Rizzo Lombardi Moretti
        Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Fernandez
        Gomez Diaz Moreno Munoz Alvarez Romero Alonso Gutierrez Navarro Torres Dominguez Vazquez Ramos Gil
        Ramirez Serrano Blanco Molina Morales Suarez Ortega Delgado Castro Ortiz Rubio Marin Papadopoulos
        Georgiou Nikolaou Christodoulou Ioannou Konstantinou Demetriou Antoniou Papageorgiou Vasileiou""")),
    "other": (0.04, _ranked("""Sara Hanna Elin Ingrid Leonie Amelie Chloe Camille Lea Manon Yael Tamar Noa Emma
        Julia Lena Marie Laura Lisa Sophie Anne Claire Elise Margot Juliette Louise Astrid Freja Maja Sofie
        Sigrid Liv Nora Ida Ella Shira Rivka Miriam Rachel Esther Leah Chana Ana Valeria Camila Daniela
        Jessica Ashley Megan Hailey Brooke"""),
        _ranked("""Lukas Felix Jonas Maximilian Louis Hugo Theo Noah Erik Lars David Daniel Ari Paul Leon Finn
        Elias Ben Jan Tim Tobias Antoine Baptiste Clement Julien Mathieu Nicolas Pierre Thibault Anders Henrik
        Magnus Nils Olaf Sven Mikkel Rasmus Yosef Moshe Avraham Yitzchak Shlomo Menachem Chaim Eli Mateo
        Santiago Sebastian Tyler Brandon Cody Austin"""),
        _ranked("""Muller Schmidt Schneider Fischer Weber Martin Bernard Dubois Moreau Laurent Jensen Hansen
        Larsen Cohen Levy Goldberg Friedman Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf
        Schroder Neumann Schwarz Zimmermann Braun Kruger Hofmann Hartmann Lange Schmitt Werner Krause Thomas
        Robert Richard Petit Durand Leroy Simon Michel Lefebvre Garcia David Bertrand Roux Vincent Fournier
        Morel Girard Andre Mercier Nielsen Pedersen Andersen Christensen Rasmussen Johansson Andersson
        Karlsson Nilsson Eriksson Larsson Olsen Berg Halvorsen Katz Stern Rosenberg Weiss Schwartz Gold Roth
        Shapiro Kaplan Green Lowenstein Silverman Feldman Rodriguez Hernandez Flores Rivera Smith Miller""")),
}
ORIGINS = {origin: (share, female, male, tuple(dict.fromkeys(surnames + _TAILS.get(origin, ()))))
           for origin, (share, female, male, surnames) in ORIGINS.items()}

MIDDLE_INITIAL_SHARE = 0.3

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Billy"), "Richard": ("Rick", "Dick", "Richie"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"), "Margaret": ("Maggie", "Peggy", "Meg"), "Katherine": ("Kate", "Kathy"),
    "Catherine": ("Cathy", "Kate", "Cat"), "Jennifer": ("Jen", "Jenny"), "Michael": ("Mike", "Mick", "Micky"),
    "Christopher": ("Chris", "Kit"), "Andrew": ("Andy", "Drew"), "Anthony": ("Tony", "Ant"),
    "Nicholas": ("Nick", "Nicky"), "Jonathan": ("Jon", "Jonny"), "Timothy": ("Tim", "Timmy"),
    "Stephen": ("Steve", "Stevie"), "Daniel": ("Dan", "Danny"), "Joshua": ("Josh",), "Samuel": ("Sam", "Sammy"),
    "Matthew": ("Matt", "Matty"), "Benjamin": ("Ben", "Benny"), "Alexander": ("Alex", "Sandy"),
    "Edward": ("Ed", "Eddie", "Ted"), "David": ("Dave", "Davey"), "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jimmy", "Jamie"), "Charlotte": ("Lottie", "Charlie"), "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"), "Abigail": ("Abby", "Gail"), "Patricia": ("Pat", "Trish"),
    "Susan": ("Sue", "Susie"), "Deborah": ("Debbie", "Deb"), "Eleanor": ("Ellie", "Nell"), "Jessica": ("Jess",),
    "Muhammad": ("Mohammed", "Mohamed", "Md"), "Mohammed": ("Muhammad", "Mohd", "Md"), "Patrick": ("Pat", "Paddy"),
    "Oluwaseun": ("Seun",), "Chukwuemeka": ("Emeka",), "Babatunde": ("Tunde",), "Aleksandra": ("Ola",),
    "Krzysztof": ("Chris",), "Piotr": ("Peter",), "Oleksandr": ("Alex", "Sasha"), "Joao": ("John",),
    "Giuseppe": ("Joe", "Beppe"), "Francesca": ("Fran", "Frankie"), "Gabriela": ("Gabi",), "Natalia": ("Natasha",),
}

STREET_STEMS = _words("""Acacia Albion Alder Ash Aspen Balfour Barnabas Beech Belgrave Birch Blackthorn Bramble
    Brook Burdett Cambridge Canal Carlton Cedar Chapel Chatsworth Chestnut Church Clarence Clifton Cobden
    Coronation Cromwell Dalston Darwin Denmark Devonshire Dove Durham Elder Elm Falcon Fernhill Forest Gladstone
    Glebe Grange Granville Greenwood Grosvenor Hawthorn Hazel Heron Highfield Holly Hornbeam Ivy Jubilee Juniper
    Kestrel Kingfisher Laburnum Lancaster Larch Laurel Lavender Lime Linden Malvern Manor Maple Marlborough
    Mayfield Meadow Milton Mill Nelson Newton Norfolk Oak Orchard Osborne Oxford Palmerston Park Peel Pelham
    Pembroke Pine Poplar Priory Queens Raleigh Regent Richmond Rosebery Rowan Russell Sandringham Salisbury
    Shakespeare Sheldon Sidney Spencer Spring Stanley Station Sycamore Tennyson Thornhill Tower Trafalgar
    Tudor Union Vicarage Victoria Walnut Warwick Waterloo Wellington Westbury Whitmore Willow Windsor
    Wordsworth Wren Yew York Abbot Ainsley Ashburnham Bethune Blondin Brunel Buxton Caxton Chaucer Colvestone
    Coopers Cowper Dunstan Fairholt Farleigh Fontaine Gainsford Hackford Harcourt Hartley Ickburgh Kenworthy
    Lansdowne Lordship Mildmay Navarino Northwold Oldfield Penshurst Prah Rectory Ritherdon Sandbrook Shacklewell
    Somerford Stoke Tyssen Wilberforce Wilton Woodland""")

STREET_SUFFIXES = (("Road", 30), ("Street", 18), ("Avenue", 6), ("Grove", 6), ("Lane", 5), ("Gardens", 6),
                   ("Terrace", 4), ("Close", 5), ("Way", 3), ("Place", 4), ("Crescent", 3), ("Walk", 2),
                   ("Square", 2), ("Rise", 1), ("Mews", 2), ("Row", 1), ("Hill", 2))

ABBREVIATIONS = {"Road": "Rd", "Street": "St", "Avenue": "Ave", "Grove": "Gr", "Lane": "Ln", "Gardens": "Gdns",
                 "Terrace": "Terr", "Close": "Cl", "Place": "Pl", "Crescent": "Cres", "Square": "Sq",
                 "House": "Ho", "Court": "Ct", "Flat": "Flt", "Saint": "St", "Estate": "Est", "Mews": "Mws"}

LOCALITY_NAMES = _words("""Marsh_End Kingsbridge Holloway_Green St_Anne's Fernhill Northwold Clapton_Vale
    Millfields Brook_Park Stanton Upper_Hale Lower_Hale Eastmere_Central Highgrove Ashcombe Riverside
    Woodberry Kings_Cross_East Canalside Lea_Bridge Hatton_Common Elmstead Foxley Whitmore_Green""")

BUILDING_STEMS = _words("""Kestrel Heron Falcon Osprey Merlin Swift Wren Lark Raven Kingfisher Oak Ash Elm Cedar
    Beech Rowan Maple Hazel Willow Larch Alder Juniper Laurel Poplar Aspen Chestnut Sycamore Hawthorn
    Nightingale Mallard Kite Curlew Plover Avocet Lapwing Dunlin Sandpiper Fulmar Gannet Puffin Tern Egret
    Bittern Shelduck Teal Pintail Wigeon Goldcrest Siskin Linnet Bunting Finch Thrush Starling Swallow""")

BUILDING_KINDS = ("House", "Court", "Lodge", "Point", "Tower", "Mansions", "Buildings", "Apartments")

HOUSE_NAMES = _words("Rose_Cottage The_Lodge Ivy_House The_Old_Forge Holly_Lodge Fernlea The_Laurels Woodside")

BUSINESS_WORDS = _words("""Golden Royal Star Crown Sunrise Express City Village Corner Green Blue Lucky Happy
    Prime Quality Best Elite Urban Fresh Classic Modern Grand Silver Diamond Rainbow Phoenix Orchid Lotus
    Olive Cedar Oak Maple Bridge Central Metro Capital Eastmere Northwold Kingsbridge Apex Atlas Aurora Beacon
    Bluebell Bright Bristol Cactus Cambridge Castle Champion Cherry Citrus Clover Coral Cosmos Crystal Delight
    Dragon Eagle Eden Emerald Empire Everest Falcon Fiesta Fortune Galaxy Garden Gemini Glory Harbour Harmony
    Heritage Horizon Imperial Infinity Island Ivory Jade Jasmine Jewel Jubilee Kingdom Legend Liberty Lion
    Magic Majestic Marble Meridian Mint Monarch Nova Oasis Ocean Omega Orbit Paradise Pearl Pinnacle Planet
    Platinum Premier Pride Regal Regent Riverside Rose Ruby Saffron Sapphire Sierra Solar Spice Spring
    Summit Sunflower Supreme Swan Tiger Titan Topaz Tulip Unity Valley Velvet Venus Victory Vista Willow
    Zenith Amber Arrow Aztec Bamboo Baltic Bombay Cairo Delhi Dhaka Istanbul Lagos Lisbon Napoli Palermo
    Sahara Saigon Sparta Tokyo Warsaw Zanzibar Ankara Accra Karachi Lahore Sylhet Athens Roma Havana""")
#: Share of trading names built from two words ("Golden Lotus Cafe"): fewer borough businesses share a name.
TWO_WORD_BUSINESS_SHARE = 0.35

BUSINESS_KINDS: tuple[tuple[str, str, str, str, bool, float], ...] = (
    # kind, trading-name pattern, rates description, AddressBase class, food business, share
    ("cafe", "{w} Cafe", "Cafe and Premises", "CR07", True, 0.10),
    ("restaurant", "{w} Kitchen", "Restaurant and Premises", "CR07", True, 0.08),
    ("takeaway", "{w} Fried Chicken", "Hot Food Takeaway and Premises", "CR07", True, 0.09),
    ("convenience", "{w} Food & Wine", "Shop and Premises", "CR08", True, 0.12),
    ("barber", "{w} Barbers", "Shop and Premises", "CR08", False, 0.08),
    ("salon", "{w} Hair & Beauty", "Shop and Premises", "CR08", False, 0.07),
    ("estate_agent", "{w} Estates", "Office and Premises", "CR02", False, 0.05),
    ("pharmacy", "{w} Pharmacy", "Shop and Premises", "CR08", False, 0.03),
    ("launderette", "{w} Launderette", "Launderette and Premises", "CR08", False, 0.03),
    ("pub", "The {w} Arms", "Public House and Premises", "CR06", True, 0.04),
    ("grocer", "{w} Supermarket", "Shop and Premises", "CR08", True, 0.06),
    ("phone_repair", "{w} Mobiles", "Shop and Premises", "CR08", False, 0.05),
    ("office", "{w} Consulting", "Offices and Premises", "CO01", False, 0.12),
    ("workshop", "{w} Motors", "Workshop and Premises", "CI03", False, 0.04),
    ("bakery", "{w} Bakery", "Shop and Premises", "CR08", True, 0.04),
)

LETTINGS_WORDS = _words("Properties Lettings Homes Estates Residential Investments Housing Rentals Holdings")
ACCOUNTANT_ADDRESSES = (
    ("Suite 4", "101 Commercial Road", "LONDON", "E1 1RD"),
    ("2nd Floor", "45 Gresham Street", "LONDON", "EC2V 7BG"),
    ("", "3 Station Parade", "BARKINGSIDE", "IG6 1NE"),
    ("Unit 12", "Enterprise House, 20 Harrow Road", "WEMBLEY", "HA9 6DE"),
    ("", "71-75 Shelton Street", "LONDON", "WC2H 9JQ"),
    ("Office 7", "27 Old Gloucester Street", "LONDON", "WC1N 3AX"),
)

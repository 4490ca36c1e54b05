"""Word lists the borough is built from: people's names by origin, streets, buildings, businesses.

Inner-London boroughs are diverse, so names come from a dozen origins with rough shares; a
household shares an origin most of the time. Nicknames give the name variants that different
systems record for the same person ("Robert" / "Bob" / "R").
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_PLACE_STEMS = _words("""Ash Brad Whit Hol Ather Bam Black Brom Carl Chad Cross Dal Dun Eger Fair Green Hart Hay
    Hol Hun King Lang Lid Mar Mid North Old Pen Rad Ram Red Rush South Stan Stock Thorn Wake Wal West Wick Wood""")
_PLACE_ENDS = _words("worth ley field ton ham by stone wood well ford hurst dale bury combe more")
_ENGLISH_PLACE_SURNAMES = tuple(sorted({a + b for a in _PLACE_STEMS for b in _PLACE_ENDS}))

ORIGINS: dict[str, tuple[float, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # origin: (share, female first names, male first names, surnames)
    "british": (0.38, _words("""Olivia Amelia Emily Sophie Jessica Charlotte Lucy Hannah Grace Chloe Ellie Mia
        Isabella Ruby Holly Laura Rebecca Sarah Emma Katie Rachel Victoria Jennifer Margaret Susan Patricia
        Elizabeth Catherine Helen Alice Florence Eleanor Megan Abigail Joanne Nicola Claire Deborah"""),
        _words("""Oliver Jack Harry George Charlie Thomas James William Daniel Joshua Samuel Matthew Luke
        Benjamin Alexander Edward Robert David Michael Christopher Andrew Richard Stephen Peter John Paul
        Mark Anthony Nicholas Jonathan Timothy Simon Gary Kevin Lee Craig Ryan Callum"""),
        _words("""Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker
        White Roberts Green Hall Wood Jackson Clarke Harris Lewis Turner Hill Cooper Ward Morris Moore King
        Watson Baker Harrison Morgan Patel Young Allen Mitchell James Anderson Phillips Lee Bell Parker
        Davis Bennett Cook Shaw Griffiths Richardson Carter Marshall Hughes Edwards Collins Stevens Murray
        Palmer Holmes Mason Fletcher Barker Kemp Goddard Pearce Sutton Fowler Newman Chapman Hewitt""") * 8
        + _ENGLISH_PLACE_SURNAMES),  # common surnames weighted up; rarer place-name surnames for the long tail
    "irish": (0.04, _words("Siobhan Aoife Niamh Ciara Sinead Orla Grainne Roisin Mairead Brigid"),
        _words("Sean Patrick Cormac Declan Padraig Eoin Ciaran Liam Niall Conor Donal"),
        _words("""Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill Doyle McCarthy Gallagher
        O'Doherty Kennedy Lynch Quinn Fitzgerald McLaughlin Brennan Dunne""")),
    "south_asian": (0.12, _words("""Priya Aisha Fatima Anjali Sana Ayesha Nadia Shreya Pooja Zara Amira Farah
        Nusrat Rukhsana Shabana Tahmina Sunita Kavita Meena Rekha Asma Yasmin Shazia"""),
        _words("""Mohammed Muhammad Ahmed Ali Hassan Raj Arjun Rahul Vikram Imran Abdul Rizwan Kamran Sanjay
        Amit Rohan Harpreet Gurpreet Sukhdev Faisal Tariq Shahid Nasir Rashid Jamal"""),
        _words("""Patel Khan Ahmed Hussain Ali Begum Rahman Islam Uddin Miah Shah Singh Kaur Sharma Gupta
        Kumar Chowdhury Akhtar Iqbal Malik Choudhury Mistry Desai Joshi Parmar Sandhu Gill Bibi Hossain""")),
    "west_african": (0.07, _words("""Adaeze Chiamaka Ngozi Folasade Funmilayo Abena Akosua Ama Efua Yetunde
        Blessing Grace Precious Chioma Ifeoma Titilayo Omolara"""),
        _words("""Chukwuemeka Oluwaseun Adebayo Kwame Kofi Kwabena Emeka Tunde Babatunde Obinna Chinedu
        Olumide Segun Femi Yaw Ebenezer Nnamdi"""),
        _words("""Okafor Adeyemi Okonkwo Mensah Asante Boateng Owusu Adebayo Oladipo Nwosu Eze Obi Balogun
        Ogunleye Danso Appiah Afolabi Olawale Okoro Nwachukwu Ofori""")),
    "caribbean": (0.05, _words("Shanice Tanisha Keisha Marcia Beverley Janice Paulette Sonia Andrea Yvonne"),
        _words("Delroy Winston Errol Leroy Trevor Clive Marlon Devon Dwayne Everton"),
        _words("Campbell Brown Williams Grant Reid Francis Morgan Henry Gordon Lewis Forbes Clarke Daley Bailey")),
    "east_african": (0.03, _words("Hodan Amina Fadumo Sahra Ifrah Faduma Ubah Hawa Asha Nimco"),
        _words("Abdi Abdullahi Mohamed Hassan Omar Yusuf Said Ismail Ahmed Abdirahman"),
        _words("Abdi Warsame Farah Hassan Osman Mohamud Jama Ali Egal Hersi Gedi Nur")),
    "eastern_european": (0.09, _words("""Agnieszka Katarzyna Anna Magdalena Joanna Monika Ewa Alina Ioana
        Elena Andreea Jurgita Ruta Ieva Kristina Natalia Oksana Daria"""),
        _words("""Piotr Krzysztof Tomasz Pawel Marek Michal Jakub Andrei Ion Mihai Florin Tomas Mindaugas
        Darius Jonas Dmytro Oleksandr Bogdan Vasile Lukasz"""),
        _words("""Kowalski Nowak Wisniewski Wojcik Kaminski Lewandowski Zielinski Popescu Ionescu Popa Dumitru
        Stan Kazlauskas Jankauskas Petrauskas Shevchenko Bondarenko Kovalenko Horvath Novak Szabo""")),
    "turkish": (0.05, _words("Ayse Fatma Elif Zeynep Emine Hatice Merve Esra Derya Gulsen Sibel"),
        _words("Mehmet Mustafa Ahmet Ali Huseyin Hasan Ibrahim Murat Emre Cem Kemal Orhan"),
        _words("Yilmaz Kaya Demir Sahin Celik Yildiz Yildirim Ozturk Aydin Ozdemir Arslan Dogan Kilic Aslan")),
    "east_asian": (0.04, _words("Wei Mei Ling Xiu Yan Jing Hui Min Li Na Hong Thi Lan Mai Linh"),
        _words("Wei Jun Hao Ming Jian Lei Tao Yong Chen Minh Tuan Hung Duc"),
        _words("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Nguyen Tran Le Pham Lam Wong Chan")),
    "arabic": (0.03, _words("Mariam Layla Noor Huda Rania Salma Dina Hana Leila Samira"),
        _words("Omar Khalid Youssef Karim Tarek Ahmad Hamza Bilal Sami Walid"),
        _words("Haddad Khalil Mansour Nasser Saleh Hamdan Aziz Karam Haddad Sabbagh Darwish Qureshi")),
    "southern_european": (0.06, _words("""Maria Ana Sofia Francesca Giulia Chiara Lucia Carmen Isabel Beatriz
        Ines Marta Rita Gabriela Juliana Fernanda"""),
        _words("""Joao Pedro Miguel Luis Carlos Jose Antonio Francesco Marco Luca Giuseppe Alessandro Diego
        Rafael Tiago Bruno Andre"""),
        _words("""Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa Fernandes Gomes Rossi
        Russo Ferrari Esposito Bianchi Romano Garcia Martinez Lopez Sanchez Perez Gonzalez""")),
    "other": (0.04, _words("Sara Hanna Elin Ingrid Leonie Amelie Chloe Camille Lea Manon Yael Tamar Noa"),
        _words("Lukas Felix Jonas Maximilian Louis Hugo Theo Noah Erik Lars David Daniel Ari"),
        _words("Muller Schmidt Schneider Fischer Weber Martin Bernard Dubois Moreau Laurent Jensen Hansen "
               "Larsen Cohen Levy Goldberg Friedman")),
}

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
    Olive Cedar Oak Maple Bridge Central Metro Capital Eastmere Northwold Kingsbridge""")

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

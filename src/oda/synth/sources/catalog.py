"""The declared shape of every extract: one :class:`SourceSpec` per source, in writing order.

These declarations drive the files, the data dictionary and the generated ``oda.toml``.
"""

from __future__ import annotations

from oda.synth.sources import commerce, council, housing, incidents
from oda.synth.sources.base import Column as C
from oda.synth.sources.base import SourceSpec

_ADDRESS_NOTE = "as typed by the source system's staff; see the error profile for its habits"

SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        name="council_tax", title="Council tax accounts", organisation="council", agreement="council_internal",
        describes="property", fmt="csv", encoding="cp1252", build=council.build_council_tax,
        date_formats=("%d/%m/%Y",),
        notes="One row per liability period. HMOs may be billed to the landlord (one account), to the tenants "
              "jointly (a new account at each re-letting) or room by room ('ROOM 3, ...'). Windows-1252 encoded.",
        columns=(C("Account Ref", "Council tax account number", "record_id"),
                 C("Property Ref", "The council tax system's own property reference (not a UPRN)"),
                 C("UPRN", "UPRN where the system holds one (most, not all)", "uprn", "int"),
                 C("Liable Name", "Liable party: 'Title Forename Surname', or a company name", "full_name"),
                 C("Liable Type", "Person or Company"),
                 C("Joint Liable Name", "Second jointly liable person, if any"),
                 C("Addr1", f"Address line 1, {_ADDRESS_NOTE}", "address_line_1"),
                 C("Addr2", "Address line 2", "address_line_2"), C("Addr3", "Address line 3", "address_line_3"),
                 C("Addr4", "Address line 4", "address_line_4"), C("Post Code", "Postcode", "postcode"),
                 C("Band", "Council tax band A-H"), C("SPD", "Single person discount Y/N"),
                 C("Exemption", "Exemption class: N = all students; LTE = long-term empty premium"),
                 C("Liability Start", "Start of liability (dd/mm/yyyy)", "start_date"),
                 C("Liability End", "End of liability (dd/mm/yyyy), blank if current", "end_date"))),
    SourceSpec(
        name="electoral_register", title="Electoral register (full register)", organisation="council",
        agreement="council_internal", describes="person", fmt="csv", encoding="utf-8-sig", build=council.build_electoral_register,
        notes="One row per elector per annual register (published 1 December). UTF-8 with a byte-order mark. "
              "People who have moved out sometimes remain on the next register.",
        columns=(C("Elector Ref", "Year / polling district / elector number", "record_id"),
                 C("Register Year", "Year the register is in force", None, "int"),
                 C("Polling District", "Polling district code"), C("Elector No", "Elector number within the ward", None, "int"),
                 C("Title", "Title", "title"), C("Forename", "First name", "first_name"),
                 C("Middle Names", "Middle names", "middle_names"), C("Surname", "Surname", "surname"),
                 C("Address 1", "Address line 1", "address_line_1"), C("Address 2", "Address line 2", "address_line_2"),
                 C("Address 3", "Address line 3", "address_line_3"), C("Address 4", "Address line 4", "address_line_4"),
                 C("Address 5", "Address line 5", "address_line_5"), C("Postcode", "Postcode", "postcode"),
                 C("UPRN", "UPRN held by the electoral registration officer", "uprn", "int"),
                 C("Opt Out", "Y if opted out of the open register"))),
    SourceSpec(
        name="housing_benefit", title="Housing benefit and council tax support claims", organisation="council",
        agreement="council_internal", describes="person", fmt="parquet", build=council.build_housing_benefit,
        notes="One row per claim. Dates are typed Parquet dates. 'SAR' is the shared accommodation rate, which "
              "applies to single private tenants under 35 whether or not they live in shared housing.",
        columns=(C("claim_ref", "Claim reference", "record_id"), C("claimant_forename", "Claimant first name", "first_name"),
                 C("claimant_surname", "Claimant surname", "surname"),
                 C("claimant_dob", "Claimant date of birth", "date_of_birth", "date"),
                 C("ni_number", "National Insurance number (fictitious QQ prefix)"),
                 C("address", "Single-line address without postcode", "address"), C("postcode", "Postcode", "postcode"),
                 C("uprn", "UPRN where known", "uprn", "int"),
                 C("tenancy_type", "Private, Council, Housing Association or Owner Occupier"),
                 C("lha_category", "Local housing allowance category for private tenants (SAR, 1 Bed, ...)"),
                 C("weekly_rent", "Eligible weekly rent, pounds", None, "float"),
                 C("household_size", "People in the claimant's household", None, "int"),
                 C("claim_start", "Claim start date", "start_date", "date"),
                 C("claim_end", "Claim end date, null if live", "end_date", "date"))),
    SourceSpec(
        name="env_health_requests", title="Environmental health service requests", organisation="council",
        agreement="council_internal", describes="event", fmt="csv", delimiter=";",
        build=incidents.build_env_health_requests, date_formats=("%d/%m/%Y",),
        notes="Semicolon-delimited. Location is free text typed by a call handler, often with the postcode in it "
              "and sometimes not an address at all ('Junction of ...'). Complainant is usually a neighbour.",
        columns=(C("SR Number", "Service request reference", "record_id"),
                 C("Date Received", "Date received (dd/mm/yyyy, a few in other formats)", "event_date"),
                 C("Service Type", "Request category", "event_type"), C("Location", "Free-text location", "address"),
                 C("Postcode", "Postcode if the handler filled it in", "postcode"),
                 C("Complainant", "Complainant's name or 'Anonymous'", "full_name"), C("Status", "Open, Closed or NFA"))),
    SourceSpec(
        name="hmo_licences", title="HMO licence register", organisation="council", agreement="council_internal",
        describes="property", fmt="xlsx", sheet="Licences", build=housing.build_hmo_licences,
        notes="Excel workbook, sheet 'Licences'. Granted licences and some expired ones for houses no longer "
              "let as HMOs. Dates are Excel dates.",
        columns=(C("Licence Number", "Licence reference", "record_id"),
                 C("Licence Type", "Mandatory (5+ people) or Additional"), C("Licence Holder", "Licence holder (person or company)", "full_name"),
                 C("Address Line 1", "Address line 1", "address_line_1"), C("Address Line 2", "Address line 2", "address_line_2"),
                 C("Address Line 3", "Address line 3", "address_line_3"), C("Postcode", "Postcode", "postcode"),
                 C("UPRN", "UPRN", "uprn", "int"), C("Max Occupiers", "Permitted occupiers", None, "int"),
                 C("Max Households", "Permitted households", None, "int"), C("Storeys", "Storeys", None, "int"),
                 C("Issue Date", "Date issued", "start_date", "date"), C("Expiry Date", "Date it expires", "end_date", "date"),
                 C("Status", "Granted or Expired"))),
    SourceSpec(
        name="epc", title="Energy Performance Certificates (domestic)", organisation="dluhc", agreement="open_data",
        describes="property", fmt="csv", build=housing.build_epc, date_formats=("%Y-%m-%d",),
        notes="In the style of the open EPC register: upper-case assessor-typed address in three lines, tenure in "
              "several spellings, floor area in square metres.",
        columns=(C("LMK_KEY", "Certificate key", "record_id"), C("ADDRESS1", "Address line 1", "address_line_1"),
                 C("ADDRESS2", "Address line 2", "address_line_2"), C("ADDRESS3", "Address line 3", "address_line_3"),
                 C("POSTCODE", "Postcode", "postcode"), C("UPRN", "UPRN where the register matched one", "uprn", "int"),
                 C("PROPERTY_TYPE", "House, Flat or Maisonette"), C("BUILT_FORM", "Mid-Terrace, Semi-Detached, ..."),
                 C("TOTAL_FLOOR_AREA", "Floor area, square metres", None, "float"),
                 C("NUMBER_HABITABLE_ROOMS", "Habitable rooms", None, "int"), C("CURRENT_ENERGY_RATING", "A-G"),
                 C("TENURE", "Tenure as recorded by the assessor (mixed spellings)"),
                 C("LODGEMENT_DATE", "Date lodged (yyyy-mm-dd)", "event_date"))),
    SourceSpec(
        name="planning", title="Planning and building-control applications", organisation="council",
        agreement="council_internal", describes="event", fmt="csv", build=housing.build_planning,
        date_formats=("%d/%m/%Y",),
        notes="Site address typed by the applicant or agent, usually with the postcode. Includes C3 to C4 "
              "changes of use, extensions, lawful development certificates and building notices.",
        columns=(C("Application Number", "Application reference", "record_id"),
                 C("Application Type", "Type of application", "event_type"), C("Site Address", "Site address", "address"),
                 C("Proposal", "Description of the proposal"), C("Applicant Name", "Applicant", "full_name"),
                 C("Date Received", "Date received (dd/mm/yyyy)", "event_date"), C("Decision", "Granted, Refused or Pending"),
                 C("Decision Date", "Decision date (dd/mm/yyyy)"), C("Ward", "Ward name"),
                 C("UPRN", "UPRN where the planning system holds one", "uprn", "int"))),
    SourceSpec(
        name="fire_service", title="Fire and rescue incidents and home fire safety visits", organisation="fire",
        agreement="fire_sharing", describes="event", fmt="parquet", build=incidents.build_fire_service,
        notes="Parquet with a timestamp column. 'HFSV' rows are home fire safety visits; property_category "
              "sometimes records 'Dwelling - HMO' (for student houses too).",
        columns=(C("incident_number", "Incident or visit reference", "record_id"),
                 C("activity", "Incident or HFSV"), C("occurred_at", "When it happened", "event_date", "datetime"),
                 C("incident_type", "Incident type", "event_type"), C("property_category", "Property category as recorded"),
                 C("address_text", "Single-line address, upper case", "address"), C("postcode", "Postcode", "postcode"),
                 C("uprn", "UPRN where the mobilising system held one", "uprn", "int"),
                 C("resident_name", "Resident seen at a home fire safety visit", "full_name"),
                 C("occupants_recorded", "Occupants recorded at a visit", None, "int"),
                 C("smoke_alarm", "Smoke alarm status"))),
    SourceSpec(
        name="police_asb", title="Police anti-social behaviour incidents", organisation="police",
        agreement="police_sharing", describes="event", fmt="csv", build=incidents.build_police_asb,
        date_formats=("%d/%m/%Y %H:%M",),
        notes="Locations are upper case and abbreviated; about a third are street-level only ('ACACIA RD NR ...').",
        columns=(C("CAD Ref", "Computer-aided dispatch reference", "record_id"),
                 C("Occurrence Date", "Date and time (dd/mm/yyyy HH:MM)", "event_date"), C("Category", "ASB category", "event_type"),
                 C("Location", "Location as logged", "address"), C("Postcode", "Postcode if logged", "postcode"),
                 C("Beat", "Police beat code"), C("Closure", "How the incident was closed"))),
    SourceSpec(
        name="business_rates", title="Business rates (non-domestic rates) accounts", organisation="council",
        agreement="council_internal", describes="business", fmt="csv", encoding="cp1252", build=commerce.build_business_rates,
        date_formats=("%d/%m/%Y",),
        notes="Windows-1252 encoded. Ratepayer is a company's legal name or a sole trader's 'MR X T/A Y'.",
        columns=(C("Account No", "Rates account number", "record_id"), C("Property Reference", "Billing authority property reference"),
                 C("Ratepayer", "Ratepayer name", "business_name"), C("Address 1", "Address line 1", "address_line_1"),
                 C("Address 2", "Address line 2", "address_line_2"), C("Address 3", "Address line 3", "address_line_3"),
                 C("Address 4", "Address line 4", "address_line_4"), C("Postcode", "Postcode", "postcode"),
                 C("Description", "Hereditament description"), C("Rateable Value", "Rateable value, pounds", None, "int"),
                 C("Liability Start", "Start of liability", "start_date"), C("Liability End", "End of liability", "end_date"),
                 C("SBRR", "Small business rate relief Y/N"), C("UPRN", "UPRN where held", "uprn", "int"))),
    SourceSpec(
        name="food_businesses", title="Food business register (FHRS)", organisation="council",
        agreement="council_internal", describes="business", fmt="parquet", build=commerce.build_food_businesses,
        notes="In the style of the Food Hygiene Rating Scheme open data: trading names, ratings, coordinates for most.",
        columns=(C("FHRSID", "FHRS identifier", "record_id", "int"), C("BusinessName", "Trading name", "business_name"),
                 C("BusinessType", "FHRS business type"), C("AddressLine1", "Address line 1", "address_line_1"),
                 C("AddressLine2", "Address line 2", "address_line_2"), C("AddressLine3", "Address line 3", "address_line_3"),
                 C("AddressLine4", "Address line 4", "address_line_4"), C("PostCode", "Postcode", "postcode"),
                 C("RatingValue", "Hygiene rating 0-5 or AwaitingInspection"), C("RatingDate", "Rating date", "event_date", "date"),
                 C("Latitude", "WGS84 latitude", None, "float"), C("Longitude", "WGS84 longitude", None, "float"),
                 C("LocalAuthorityBusinessID", "The council's business id"))),
    SourceSpec(
        name="companies", title="Companies register: officers and registered offices", organisation="companies_house",
        agreement="open_data", describes="business", fmt="csv", build=commerce.build_companies,
        date_formats=("%d/%m/%Y",),
        notes="One row per director appointment, as a bulk officers extract joined to company data. Officer "
              "names are 'SURNAME, Forenames'; dates of birth are month and year only.",
        columns=(C("OfficerAppointmentId", "Appointment id", "record_id"), C("CompanyNumber", "Company number", "company_number"),
                 C("CompanyName", "Registered company name", "business_name"),
                 C("RegAddress.AddressLine1", "Registered office line 1", "address_line_1"),
                 C("RegAddress.AddressLine2", "Registered office line 2", "address_line_2"),
                 C("RegAddress.PostTown", "Post town", "address_line_3"), C("RegAddress.PostCode", "Postcode", "postcode"),
                 C("CompanyStatus", "Active or Dissolved"), C("IncorporationDate", "Incorporation date (dd/mm/yyyy)"),
                 C("SICCode.SicText_1", "SIC code"), C("OfficerName", "Officer name, 'SURNAME, Forenames'", "full_name"),
                 C("OfficerRole", "Officer role"), C("DateOfBirth", "Month and year of birth (yyyy-mm)"),
                 C("AppointedOn", "Appointment date (dd/mm/yyyy)", "start_date"))),
    SourceSpec(
        name="inspections", title="Housing inspections and outcomes", organisation="council",
        agreement="council_internal", describes="event", fmt="xlsx", sheet="Inspections", build=housing.build_inspections,
        date_formats=("%d/%m/%Y",),
        notes="Excel workbook, sheet 'Inspections'. Mostly visits after complaints (a biased sample), some at "
              "licence application, a few proactive. Outcome: HMO confirmed, Not an HMO, No access.",
        columns=(C("Inspection Ref", "Inspection reference", "record_id"), C("Property Address", "Address typed by the officer", "address"),
                 C("Postcode", "Postcode", "postcode"), C("UPRN", "UPRN where the officer looked it up", "uprn", "int"),
                 C("Visit Date", "Visit date (dd/mm/yyyy)", "event_date"), C("Reason", "Why the visit happened", "event_type"),
                 C("Outcome", "HMO confirmed, Not an HMO or No access"), C("Cat 1 Hazards", "Category 1 hazards found", None, "int"),
                 C("Officer", "Officer initials"))),
)

BY_NAME = {spec.name: spec for spec in SOURCES}

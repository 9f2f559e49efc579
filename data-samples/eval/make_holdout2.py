#!/usr/bin/env python3
"""Writes holdout2.csv: a SECOND held-out labelled set for `ipfirm eval`, on the full build
(`bench/full.toml` over /work/shared). Session 9 read the misses of holdout.csv by name before
changing rules, so that set's gains are no longer unbiased; this one was written in session 10, and
only its aggregate numbers have been read: no rule was changed because of them.

Selection: a seeded random sample (seed 101126) of 1,500 AS numbers of the full ip-location-db ASN
tables, minus the ASes of labels.csv and holdout.csv. From the sample's holder names (not ipfirm's
output, which was not looked at), FACTS labels the organisations whose nature is public knowledge
(what the organisation is and does) or shown by the legal form of its registered name (a natural
person "trading as", a Ukrainian FOP, a Brazilian firm that is its owner's name, a person's own
name). Organisations the labeller did not know were left out, which leans the set towards known
names; the class mix is whatever the sample gave.

Checked, not assumed (the script refuses otherwise): no AS of labels.csv, holdout.csv or the
bundled ASN slices; no organisation name that shares a distinctive word with a labels.csv or
holdout.csv organisation (another company of a labelled group: make_holdout.distinctive, less
common words, country names and given names, which unrelated organisations share); no name that the
classifier's word lists, tests or MEASUREMENTS.md quote (holders read while rules were written).

The address is the second of the AS's first row in the full IPv4 table (its first IPv6 row when it
has no IPv4 row), as in make_labels.py.

    python3 data-samples/eval/make_holdout2.py /work/shared/data-raw > data-samples/eval/holdout2.csv
"""
import csv
import gzip
import importlib.util
import ipaddress
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")
ISP, MOB, HOST, BIZ, EDU, GOV, NPO, SOLE = ("isp", "mobile", "hosting", "business", "education", "government", "nonprofit", "sole_trader")
NATURAL = "registered holder is a natural person in their own name (given name + family name, no company)"
TRADING = "natural person trading under a business name ('<person> trading as <name>', no company form)"
FOP = "Ukrainian FOP/SPD or Russian private entrepreneur: a natural person registered as entrepreneur"
BR_ME = "Brazilian empresario individual: firm is the owner's own name, ME = micro-enterprise size"
PERSON_TRADE = "natural person's name with a trade name beside it (sole proprietor, no company form)"
FACTS = {
    # --- fixed and mobile access providers ----------------------------------------------------------------
    48438: (ISP, "Corbina Telecom: Russian broadband provider (Beeline/VimpelCom group)"),
    15491: (ISP, "Silknet: Georgian incumbent telephone and broadband provider"),
    19331: (ISP, "Twin Lakes Telephone Cooperative: rural Tennessee telephone and broadband cooperative"),
    36545: (ISP, "Bledsoe Telephone Cooperative: rural Tennessee telephone and broadband cooperative"),
    399545: (ISP, "Coleman County Telephone Cooperative: rural Texas telephone and broadband cooperative"),
    19863: (ISP, "Guyana Telephone & Telegraph (GTT): Guyanese incumbent telecom provider"),
    29837: (ISP, "St Barth Telecom: telephone and internet provider of Saint-Barthelemy"),
    21981: (ISP, "Easton Utilities: Maryland town utility that sells cable TV and internet service"),
    205031: (ISP, "UPC Romania: cable TV and broadband operator"),
    8053: (ISP, "IFX Networks: Latin American telecom and internet service provider"),
    28952: (ISP, "O2 Czech Republic's business telecom services"),
    2726: (ISP, "Webformix: Oregon fixed-wireless and fibre internet provider"),
    398400: (ISP, "Transvision Cookshire: Quebec cable TV and internet provider"),
    49826: (ISP, "Lounea: Finnish regional telephone and broadband operator"),
    29091: (ISP, "ipNX: Nigerian broadband provider"),
    3763: (ISP, "BELD: Braintree Electric Light Department, municipal utility selling broadband"),
    10242: (ISP, "US Internet: Minneapolis fibre and wireless internet provider"),
    37229: (MOB, "Atlantique Telecom Togo (Moov Togo): mobile operator"),
    18412: (MOB, "Far EasTone: Taiwanese mobile operator"),
    # --- clouds, hosters, data centres --------------------------------------------------------------------
    213394: (HOST, "Clever Cloud: French cloud hosting platform (PaaS)"),
    50049: (HOST, "RedSwitches: dedicated server hosting provider"),
    211675: (HOST, "Layershift: UK hosting provider"),
    25593: (HOST, "LinkByNet: French managed hosting provider"),
    56005: (HOST, "Fastidc: Chinese internet data centre (server hosting)"),
    133458: (HOST, "FPT Smart Cloud: cloud provider"),
    204049: (HOST, "3data: Russian data-centre network"),
    204665: (HOST, "3data: Russian data-centre network"),
    17185: (HOST, "Data102: Colorado colocation and data-centre provider"),
    19084: (HOST, "ColoUp: colocation provider"),
    39783: (HOST, "Webhuset: Norwegian web hosting provider"),
    # --- enterprises --------------------------------------------------------------------------------------
    212012: (BIZ, "Thales DIS France: security and identity products (Thales group)"),
    396367: (BIZ, "Canadian Tire Corporation: Canadian retailer"),
    21869: (BIZ, "Sun Chemical: printing-ink and pigment maker"),
    139929: (BIZ, "Chicago Trading Company: proprietary trading firm"),
    21234: (BIZ, "GRENKE: leasing company"),
    17372: (BIZ, "Bank of Montreal: bank"),
    11643: (BIZ, "eBay: online marketplace"),
    395069: (BIZ, "International Bank of Commerce: Texas bank"),
    55123: (BIZ, "Brilliant Jewelers: jewellery maker"),
    40655: (BIZ, "Winthrop & Weinstine: law firm"),
    39950: (BIZ, "Starcrest Products: catalogue retailer"),
    27214: (BIZ, "Insitu: drone maker (Boeing subsidiary)"),
    397762: (BIZ, "Laird Plastics: plastics distributor"),
    63244: (BIZ, "American Seafoods: fishing and seafood company"),
    199477: (BIZ, "Diesel: Italian fashion company"),
    201275: (BIZ, "Can-Pack: packaging maker"),
    52441: (BIZ, "SONDA: Chilean IT services company"),
    201387: (BIZ, "Luxoft: IT services company"),
    23433: (BIZ, "Stamps.com: postage services company"),
    61789: (BIZ, "Porto Seguro: Brazilian insurer"),
    204299: (BIZ, "KPMG Luxembourg: audit and advisory firm"),
    393828: (BIZ, "Electronic Arts: video-game publisher"),
    49989: (BIZ, "Ceramika Paradyz: Polish tile maker"),
    60419: (BIZ, "TASCOMBANK: Ukrainian bank"),
    329655: (BIZ, "FSDH Merchant Bank: Nigerian bank"),
    60340: (BIZ, "SAIPA: Iranian car maker"),
    212113: (BIZ, "AVTOVAZ: Russian car maker (Lada)"),
    150674: (BIZ, "Mitsubishi Motors Thailand: car maker"),
    201609: (BIZ, "Elaflex: hose and fittings maker"),
    200402: (BIZ, "Sirona Dental Systems: dental equipment maker"),
    34380: (BIZ, "Amdocs: telecom software company"),
    7809: (BIZ, "Synopsys: chip-design software company"),
    63364: (BIZ, "Vertex Pharmaceuticals: drug maker"),
    25836: (BIZ, "Sterling Jewelers: jewellery retailer"),
    14081: (BIZ, "ALDI US: grocery retailer"),
    393567: (BIZ, "Atlanticus: consumer credit company"),
    24476: (BIZ, "Fairfax Media: Australian publisher"),
    10721: (BIZ, "The Andersons: agribusiness company"),
    202526: (BIZ, "HENSOLDT Optronics: optronics maker"),
    63111: (BIZ, "ACE INA Holdings: insurer (Chubb)"),
    53897: (BIZ, "Synovus: bank holding company"),
    394545: (BIZ, "Wrike: work-management software company"),
    52480: (BIZ, "IMPSA: Argentine engineering and metalworking company"),
    133324: (BIZ, "CSG Systems International: billing software company"),
    40037: (BIZ, "Labaton Sucharow: law firm"),
    5080: (BIZ, "Saudi Aramco: oil company"),
    60142: (BIZ, "NXP Semiconductors: chip maker"),
    201461: (BIZ, "Entain: betting and gaming company"),
    56680: (BIZ, "KNET (Shared Electronic Banking Services Company): Kuwaiti payment network company"),
    59195: (BIZ, "Indian Energy Exchange: power exchange company"),
    401258: (BIZ, "Zynex Medical: medical device maker"),
    54763: (BIZ, "Monarch HealthCare: medical group"),
    394257: (BIZ, "Springfield Clinic: medical practice"),
    16602: (BIZ, "Optima Medical Group: medical practice"),
    10939: (BIZ, "Paxton Media Group: newspaper publisher"),
    64218: (BIZ, "Allied Universal: security services company"),
    55706: (BIZ, "AIG Global Services: insurer's services unit"),
    135548: (BIZ, "HedgeServ: fund administration company"),
    44371: (BIZ, "PayPoint: payments company"),
    100: (BIZ, "FMC: chemical company's engineering laboratories"),
    6254: (BIZ, "EG&G: defence and engineering contractor"),
    53787: (BIZ, "Treasure Island: Las Vegas casino hotel"),
    202180: (BIZ, "Qvantel: telecom billing software company"),
    49921: (BIZ, "Formula Investment House: Israeli investment firm"),
    40826: (BIZ, "AEP Energy: energy retailer"),
    30418: (BIZ, "SumTotal Systems: HR software company"),
    62649: (BIZ, "Critical Mass: digital agency"),
    43756: (BIZ, "Deutz Italy: engine maker's subsidiary"),
    136960: (BIZ, "Arthur J. Gallagher: insurance broker"),
    400119: (BIZ, "PIMCO: investment manager"),
    149202: (BIZ, "Jammu and Kashmir Bank: bank"),
    20310: (BIZ, "Illinois Tool Works: industrial manufacturer"),
    42133: (BIZ, "EVN Macedonia: electricity distribution company"),
    203127: (BIZ, "Telespazio France: satellite services company"),
    63273: (BIZ, "Amerisafe: insurer"),
    400017: (BIZ, "Ruoff Mortgage: mortgage lender"),
    394301: (BIZ, "Dexcom: medical device maker"),
    22336: (BIZ, "Pella: window and door maker"),
    15995: (BIZ, "SEB bankas: Lithuanian bank"),
    39112: (BIZ, "BIK: Polish credit bureau"),
    10966: (BIZ, "Alaska Airlines: airline"),
    12088: (BIZ, "North American Bancard: payment processor"),
    138559: (BIZ, "Bank of Queensland: bank"),
    208482: (BIZ, "SMABTP: construction insurer"),
    23954: (BIZ, "Bank Mandiri: Indonesian bank"),
    13410: (BIZ, "MicroStrategy: software company"),
    40668: (BIZ, "Fenwal: medical device maker"),
    1885: (BIZ, "Seker Sigorta: Turkish insurer"),
    46118: (BIZ, "Celanese: chemical company"),
    30434: (BIZ, "Loews Corporation: conglomerate"),
    42917: (BIZ, "Staempfli: Swiss printing and publishing company"),
    135086: (BIZ, "Axis Bank: Indian bank"),
    133051: (BIZ, "Commercial Bank of Ceylon: bank"),
    44320: (BIZ, "SEB: Swedish bank"),
    12465: (BIZ, "Intesa Sanpaolo: Italian bank"),
    206627: (BIZ, "Nasdaq Technology: exchange operator's technology unit"),
    395269: (BIZ, "Wahl Clipper: hair-clipper maker"),
    399775: (BIZ, "Cenovus Energy: oil company"),
    18355: (BIZ, "Kiwoom Sekuritas Indonesia: brokerage"),
    133138: (BIZ, "Random House Australia: publisher"),
    54403: (BIZ, "Essense of Australia: bridal-wear maker"),
    54337: (BIZ, "BWX Technologies: nuclear component maker"),
    211527: (BIZ, "Orkla Latvija: food and consumer goods company"),
    34548: (BIZ, "Zeitfracht Medien: book wholesaler"),
    32665: (BIZ, "Southern California Gas Company: gas utility"),
    43512: (BIZ, "Mercor: Polish fire-protection company"),
    31880: (BIZ, "Nestle USA: food company"),
    132055: (BIZ, "Ernst & Young: audit and advisory firm"),
    4374: (BIZ, "CKE Restaurants: restaurant company (Carl's Jr., Hardee's)"),
    135926: (BIZ, "PNJ: Vietnamese jewellery company"),
    197220: (BIZ, "Idea Bank: Polish bank"),
    400398: (BIZ, "Money Mart: consumer lender"),
    209381: (BIZ, "ECCO: shoe maker"),
    27518: (BIZ, "First American Bank: bank"),
    151072: (BIZ, "VMware: software company"),
    201163: (BIZ, "Komercni banka: Czech bank"),
    4893: (BIZ, "DRW: trading firm"),
    25275: (BIZ, "Richemont: luxury goods company"),
    20103: (BIZ, "Valmont Industries: infrastructure and irrigation equipment maker"),
    328272: (BIZ, "Royal Air Maroc: airline"),
    203400: (BIZ, "InVivo: French agricultural cooperative group"),
    62381: (BIZ, "Deltatre: sports media technology company"),
    44261: (BIZ, "HDI Sigorta: Turkish insurer"),
    200054: (BIZ, "Bank United Capital: bank"),
    13695: (BIZ, "American Electric Power: electric utility"),
    204673: (BIZ, "LabKom: medical laboratory"),
    55281: (BIZ, "Echo Global Logistics: freight broker"),
    19934: (BIZ, "Uber Freight: freight broker"),
    24069: (BIZ, "Winc: office supplies distributor"),
    41926: (BIZ, "EBV Elektronik: electronic component distributor"),
    52186: (BIZ, "Advanced Travel Partners: travel management company"),
    402427: (BIZ, "Nexstar: TV broadcaster"),
    16688: (BIZ, "PeopleNet: fleet telematics company"),
    208849: (BIZ, "Hobby-Wohnwagenwerk: caravan maker"),
    398402: (BIZ, "Tropical Shipping: shipping line"),
    902: (BIZ, "Space Coast Credit Union: credit union"),
    394145: (BIZ, "SCE Federal Credit Union: credit union"),
    32046: (BIZ, "Sullivan & Cromwell: law firm"),
    60151: (BIZ, "1C-Rarus: software integrator"),
    17002: (BIZ, "Avista Capital: private equity firm"),
    49141: (BIZ, "Intrum: debt collection company"),
    206534: (BIZ, "Adjarabet: online gambling company"),
    205883: (BIZ, "MAPNA Operation & Maintenance: power-plant services company"),
    203173: (BIZ, "CentroFinance: microfinance company"),
    # --- government ---------------------------------------------------------------------------------------
    43193: (GOV, "Bavarian State Office for Taxes"),
    213283: (GOV, "German Federal Ministry of the Interior"),
    213238: (GOV, "German Federal Ministry of the Interior"),
    37419: (GOV, "Tanzania Revenue Authority: tax authority"),
    397871: (GOV, "City of Detroit: municipality"),
    5542: (GOV, "Iranian Ministry of Health"),
    20929: (GOV, "Romanian Ministry of Public Finance"),
    139222: (GOV, "City of Wanneroo: Australian local government"),
    56620: (GOV, "National Bank of the Republic of North Macedonia: central bank"),
    328454: (GOV, "Bank of Ghana: central bank"),
    37364: (GOV, "Tanzania Communications Regulatory Authority: regulator"),
    52628: (GOV, "Court of Justice of the State of Para (Brazil)"),
    272375: (GOV, "Mexican Ministry of the Interior (Secretaria de Gobernacion)"),
    394329: (GOV, "Utah State Courts"),
    25900: (GOV, "City of Fort Lauderdale: municipality"),
    40347: (GOV, "Eau Claire County: county government"),
    131726: (GOV, "Tegal city transport and communications office (Indonesia)"),
    134635: (GOV, "Banyuwangi regency communications office (Indonesia)"),
    139367: (GOV, "Jambi city communications office (Indonesia)"),
    138901: (GOV, "Blitar regency communications office (Indonesia)"),
    150925: (GOV, "Sumenep regency government (Indonesia)"),
    397986: (GOV, "Pennsylvania Convention Center Authority: state authority"),
    51932: (GOV, "State ATM Corporation: Russian air traffic management (state unitary enterprise)"),
    32364: (GOV, "Ontario Health: provincial health agency"),
    397419: (GOV, "Oregon State Lottery: state agency"),
    394813: (GOV, "Karuk Tribe: tribal government"),
    30401: (GOV, "Southern Ute Indian Tribe: tribal government"),
    270030: (GOV, "Bogota district sports and recreation department (Colombia)"),
    41896: (GOV, "Shetland Islands Council: local government"),
    212324: (GOV, "SDIS 64: French departmental fire and rescue service"),
    200883: (GOV, "Levan Samkharauli National Forensics Bureau: Georgian state agency"),
    267310: (GOV, "Conab: Brazilian federal food supply agency"),
    263850: (GOV, "Regional Labour Court, 17th region (Brazil)"),
    25488: (GOV, "Comune di Novara: Italian municipality"),
    39100: (GOV, "City administration of Pforzheim"),
    204870: (GOV, "City of Bydgoszcz"),
    23828: (GOV, "Misaki Town: Japanese municipality"),
    55774: (GOV, "NSW State Emergency Service"),
    202847: (GOV, "SVLFG: German social insurance for agriculture"),
    19530: (GOV, "State of North Dakota IT department"),
    54156: (GOV, "City of Huntsville: municipality"),
    269404: (GOV, "DETRAN-RJ: Rio de Janeiro state vehicle and driver agency"),
    153389: (GOV, "Tasman District Council: New Zealand local government"),
    # --- education and research ---------------------------------------------------------------------------
    136618: (EDU, "Bangladesh University of Engineering and Technology"),
    5692: (EDU, "Universidad Nacional de La Plata"),
    132749: (EDU, "IIIT Delhi: university"),
    27405: (EDU, "University System of New Hampshire"),
    40925: (EDU, "St Mary's University"),
    135909: (EDU, "Vietnam National University Ho Chi Minh City's IT park"),
    62549: (EDU, "Parkland College"),
    13041: (EDU, "CSUC: Catalan university consortium (research and education network)"),
    12831: (EDU, "Gdansk University of Technology's academic computer centre TASK"),
    30812: (EDU, "Mari State University"),
    269224: (EDU, "Universidade La Salle"),
    8411: (EDU, "Omsk State university"),
    62630: (EDU, "Husson University"),
    11897: (EDU, "Tulsa Community College"),
    11204: (EDU, "Kings Park Central School District"),
    25503: (EDU, "Odessa National Polytechnic University"),
    20337: (EDU, "SUNY Polytechnic Institute"),
    131578: (EDU, "Beijing Foreign Studies University"),
    23919: (EDU, "Ramkhamhaeng University"),
    215629: (EDU, "Viipurin Reaalikoulu: Finnish school"),
    141135: (EDU, "IPDN: Indonesian Institute of Home Affairs Governance (civil-service academy)"),
    135298: (EDU, "Ankabut: UAE national research and education network"),
    397765: (EDU, "California College of the Arts"),
    18999: (EDU, "Saint Andrew's School of Boca Raton"),
    20452: (EDU, "Ball State University"),
    3484: (EDU, "Instituto Politecnico Nacional (Mexico)"),
    10558: (EDU, "Biola University"),
    395226: (EDU, "Sacramento County Office of Education"),
    64303: (EDU, "Universitas Islam Bandung"),
    20160: (EDU, "Lamar State College Port Arthur"),
    139139: (EDU, "Shenyang Agricultural University"),
    36172: (EDU, "Mount Hood Community College"),
    327915: (EDU, "University of Port Harcourt"),
    54285: (EDU, "Duluth Public Schools"),
    15496: (EDU, "Aalto University"),
    328648: (EDU, "Kumasi Technical University"),
    3551: (EDU, "Universidad Tecnologica de Panama"),
    397604: (EDU, "Research Foundation for the State University of New York"),
    141981: (EDU, "Trisakti Institute of Transportation and Logistics"),
    # --- non-profits --------------------------------------------------------------------------------------
    140958: (NPO, "Jehovah's Witnesses in Taiwan: religious organisation"),
    270066: (NPO, "Jehovah's Witnesses association (Latin America): religious organisation"),
    396218: (NPO, "National Rifle Association: membership association"),
    21239: (NPO, "DNS Belgium: non-profit registry of .be (vzw)"),
    49642: (NPO, "Touring Club Suisse: motoring association"),
    215104: (NPO, "Spaarne Gasthuis: hospital foundation (stichting)"),
    206730: (NPO, "Ipse de Bruggen: care foundation (stichting)"),
    # --- natural persons ----------------------------------------------------------------------------------
    197746: (SOLE, TRADING), 212485: (SOLE, TRADING), 62328: (SOLE, TRADING), 56575: (SOLE, TRADING),
    208819: (SOLE, TRADING), 199239: (SOLE, TRADING), 198240: (SOLE, TRADING), 206389: (SOLE, TRADING),
    31598: (SOLE, FOP), 56649: (SOLE, FOP), 15880: (SOLE, FOP),
    57992: (SOLE, "Romanian intreprindere individuala: a natural person's sole proprietorship"),
    43625: (SOLE, "Italian ditta individuale ('<trade> di <owner>'): a natural person's firm"),
    266073: (SOLE, BR_ME), 272216: (SOLE, BR_ME), 271408: (SOLE, BR_ME),
    269935: (SOLE, PERSON_TRADE), 269833: (SOLE, PERSON_TRADE), 210355: (SOLE, PERSON_TRADE),
    56475: (SOLE, "Polish sole proprietorship: firm name contains the owner's name"),
    212529: (SOLE, NATURAL), 208266: (SOLE, NATURAL), 42753: (SOLE, NATURAL), 216418: (SOLE, NATURAL),
    58133: (SOLE, NATURAL), 265819: (SOLE, NATURAL), 209745: (SOLE, NATURAL), 211509: (SOLE, NATURAL),
    207632: (SOLE, NATURAL), 213660: (SOLE, NATURAL), 214769: (SOLE, NATURAL), 215932: (SOLE, NATURAL),
    272752: (SOLE, NATURAL), 266821: (SOLE, NATURAL), 204667: (SOLE, NATURAL), 270995: (SOLE, NATURAL),
    269504: (SOLE, NATURAL), 208434: (SOLE, NATURAL), 265719: (SOLE, NATURAL), 205777: (SOLE, NATURAL),
    199854: (SOLE, NATURAL), 197754: (SOLE, NATURAL), 204721: (SOLE, NATURAL), 214366: (SOLE, NATURAL),
    59570: (SOLE, NATURAL), 50147: (SOLE, NATURAL),
}


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, f"{name}.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def quoted_texts():
    """Text of the files where holders were read by name while rules were written."""
    out = []
    for d in ["crates/core/src/compile/classify", "crates/core/src/compile/classify/data"]:
        for f in sorted(os.listdir(os.path.join(REPO, d))):
            p = os.path.join(REPO, d, f)
            if os.path.isfile(p) and f.endswith((".md", ".txt", ".rs")):
                out.append(open(p, encoding="utf-8").read().lower())
    return "\n".join(out)


def plain_words():
    """Common words, country names and given names: a word of these shared with a labelled
    organisation does not make two organisations one group (`California`, `Medical`, `Martin`)."""
    out = set()
    data = os.path.join(REPO, "crates/core/src/compile/classify/data")
    for f in ("dictionary-words.txt", "countries.txt", "given-names.txt"):
        for line in open(os.path.join(data, f), encoding="utf-8"):
            if line.strip() and not line.startswith(("#", "*")):
                out.add(line.strip())
    return out | COMMON


# Places and common words of other languages that the lists above lack.
COMMON = {"nacional", "california", "house", "arts", "chicago", "canadian", "oregon", "royal", "servicos", "companhia",
          "moscow", "beijing", "alaska", "medien", "dienstleistungen"}


# Holders of this set that were quoted in the rules' files AFTER it was written, and why. They
# are disclosed here rather than dropped, so the set stays the one that was evaluated.
QUOTED_LATER = {
    # Session 10: the first version of the "person after a dash" rule moved this campus to
    # sole_trader on the unlabelled full table; the audit of every moved holder quoted it, and the
    # rule was narrowed so that campuses are no persons (classify tests, MEASUREMENTS.md).
    20160: "Lamar State College - Port Arthur",
}


def main(raw):
    h1 = load("make_holdout")
    plain = plain_words()
    seen_asns, seen_orgs = set(), set()
    for f in ("labels.csv", "holdout.csv"):
        for r in csv.DictReader(open(os.path.join(HERE, f), encoding="utf-8")):
            seen_asns.add(int(r["asn"].removeprefix("AS")))
            seen_orgs.add(r["org"])
    # Since session 11 the slices end with this set's own rows (slice.py appends them so that CI
    # scores it on the bundled build); the check is that no AS of it was there before.
    for f in ("asn-ipv4.slice.csv", "asn-ipv6.slice.csv", "persons.slice.csv"):
        for r in csv.reader(open(os.path.join(HERE, "..", "sources", "asn-csv", f), encoding="utf-8")):
            if int(r[2]) not in FACTS:
                seen_asns.add(int(r[2]))
    seen_words = set().union(*(h1.distinctive(o) for o in seen_orgs))
    quoted = quoted_texts()
    first = {}
    for fam in ("ipv4", "ipv6"):
        with gzip.open(os.path.join(raw, "ip-location-db-asn", f"asn-{fam}.csv.gz"), "rt", encoding="utf-8") as f:
            for r in csv.reader(f):
                a = int(r[2])
                if a in FACTS and a not in first:
                    first[a] = r
    problems = []
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["ip", "expected_class", "asn", "org", "why"])
    for asn in sorted(FACTS):
        r = first.get(asn)
        if r is None:
            problems.append(f"AS{asn}: no row in the full ASN tables")
            continue
        org = r[3]
        if asn in seen_asns:
            problems.append(f"AS{asn} {org!r}: in labels.csv, holdout.csv or the bundled slices")
        shared = {w for w in h1.distinctive(org) & seen_words if w not in plain and len(w) > 3}
        if shared:
            problems.append(f"AS{asn} {org!r} shares {sorted(shared)} with a labelled organisation")
        if len(org) > 6 and org.lower() in quoted and asn not in QUOTED_LATER:
            problems.append(f"AS{asn} {org!r} is quoted where rules were written")
        cls, why = FACTS[asn]
        out.writerow([h1.second(r[0], r[1]), cls, f"AS{asn}", org, f"AS{asn} {why}"])
    if problems:
        raise SystemExit("\n".join(problems))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data-raw")

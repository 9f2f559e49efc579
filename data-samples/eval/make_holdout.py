#!/usr/bin/env python3
"""Writes holdout.csv: a HELD-OUT labelled set for `ipfirm eval` — networks of organisations that do
not appear in labels.csv (the set the classifier's word lists were written against), so the numbers
it gives are not tuned ones.

FACTS below maps an AS number to (class, fact). Each fact is about the organisation holding the AS
(what it is and does: public knowledge, the legal form in its registered name, a natural person as
the registered holder) — none comes from ipfirm's classifier, its word lists or its output. The ASes
were picked for a realistic mix (fixed and mobile access providers from many countries, clouds and
hosters, enterprises, universities and research networks, government bodies, non-profits,
anonymising services, natural persons as holders), never by whether ipfirm gets them right.

Disjointness with labels.csv is checked, not assumed: an AS here must not be in labels.csv, its
organisation name must not equal one there, and it must share no distinctive word (a word of a
labels.csv organisation name that is not a generic word, GENERIC below) with a labels.csv
organisation — so other networks of a labelled group (e.g. another Vodafone or Orange company)
stay out too (UNRELATED lists shared words of unrelated organisations). The AS must not be in the
original bundled ASN slice either (no one saw its rows).

The rows come from the bundled ASN slices: `data-samples/sources/slice.py` appends, for every AS in
FACTS, up to 3 of its real ip-location-db rows (see ../sources/asn-csv/SOURCE.md). The address used
is the second address of each row (the first of a one-address row), as in make_labels.py. When a
bundled registry slice lists the organisation under the same normalised name, the record is named
in `why` as extra evidence (a listed company, its sector).

    python3 data-samples/eval/make_holdout.py > data-samples/eval/holdout.csv
"""
import csv
import ipaddress
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "..", "sources")
SLICES = [os.path.join(SOURCES, "asn-csv", f) for f in ("asn-ipv4.slice.csv", "asn-ipv6.slice.csv")]
# The original slice ends at this many rows per file; held-out rows are appended after them.
ORIGINAL_ROWS = {"asn-ipv4.slice.csv": 1493, "asn-ipv6.slice.csv": 300}

ISP, MOB, HOST, BIZ, EDU, GOV, NPO, SOLE, ANON = ("isp", "mobile", "hosting", "business", "education", "government",
                                                 "nonprofit", "sole_trader", "anonymizer")
NATURAL = "registered holder is a natural person in their own name (given name + family name, no company)"
TRADING = "natural person trading under a business name ('<person> trading as <name>', no company form)"
FOP = "Ukrainian FOP/PE: fizychna osoba-pidpryiemets, a natural person registered as entrepreneur"
BR_ME = "Brazilian empresario individual: firm is the owner's own name (Civil Code art. 1156), ME = micro-enterprise size"
PL_JDG = "Polish sole proprietorship: firm name contains the owner's name (Civil Code art. 43^4)"
NREN = "national research and education network (connects universities and research institutes)"
TOR = "operates Tor exit relays: its addresses carry anonymised traffic"

FACTS = {
    # --- fixed-line access providers: incumbents, cable and fibre operators ------------------------------------
    7922: (ISP, "Comcast: largest US cable broadband provider (Xfinity)"),
    20115: (ISP, "Charter Communications: US cable broadband provider (Spectrum)"),
    22773: (ISP, "Cox Communications: US cable broadband provider"),
    6128: (ISP, "Cablevision (Altice USA, Optimum): US cable broadband provider"),
    30036: (ISP, "Mediacom: US cable broadband provider"),
    7029: (ISP, "Windstream: US rural broadband and telephone provider"),
    6079: (ISP, "RCN: US cable and fibre broadband provider"),
    7018: (ISP, "AT&T: US incumbent telephone and broadband provider, backbone AS"),
    812: (ISP, "Rogers Communications: Canadian cable and telecom provider"),
    577: (ISP, "Bell Canada: Canadian incumbent telephone and internet provider"),
    6327: (ISP, "Shaw Communications: Canadian cable broadband provider"),
    5769: (ISP, "Videotron: Quebec cable broadband provider"),
    8151: (ISP, "Uninet (Telmex): Mexican incumbent internet provider"),
    13999: (ISP, "Megacable: Mexican cable broadband provider"),
    28573: (ISP, "Claro NXT (ex NET): Brazilian cable broadband provider"),
    26599: (ISP, "Telefonica Brasil (Vivo): Brazilian telecom operator"),
    7738: (ISP, "V.tal: Brazilian fibre network (ex Oi/Telemar access network)"),
    53006: (ISP, "Algar Telecom: Brazilian telecom operator"),
    22927: (ISP, "Telefonica de Argentina (Movistar): Argentine telecom operator"),
    6147: (ISP, "Telefonica del Peru: Peruvian incumbent telecom operator"),
    3816: (ISP, "Colombia Telecomunicaciones (Movistar Colombia): telecom operator"),
    13489: (ISP, "EPM Telecomunicaciones (Tigo-UNE): Colombian broadband provider"),
    27651: (ISP, "Entel Chile: Chilean telecom operator"),
    7418: (ISP, "Telefonica Chile (Movistar): Chilean telecom operator"),
    8048: (ISP, "CANTV: Venezuelan state telecom operator"),
    6057: (ISP, "ANTEL: Uruguayan state telecom operator"),
    5089: (ISP, "Virgin Media: UK cable broadband provider"),
    2856: (ISP, "British Telecommunications (BT): UK incumbent telecom operator"),
    8680: (ISP, "Sure (Guernsey): Channel Islands telecom operator"),
    5466: (ISP, "Eircom (eir): Irish incumbent telecom operator"),
    15557: (ISP, "SFR: French telecom operator"),
    5410: (ISP, "Bouygues Telecom: French telecom operator"),
    3352: (ISP, "Telefonica de Espana (Movistar): Spanish incumbent"),
    12338: (ISP, "Euskaltel: Basque cable and telecom operator"),
    3243: (ISP, "MEO (Altice Portugal): Portuguese incumbent"),
    2860: (ISP, "NOS Comunicacoes: Portuguese cable and telecom operator"),
    1267: (ISP, "Wind Tre: Italian telecom operator"),
    8612: (ISP, "Tiscali Italia: Italian broadband provider"),
    1136: (ISP, "KPN: Dutch incumbent telecom operator"),
    5432: (ISP, "Proximus: Belgian incumbent telecom operator"),
    6848: (ISP, "Telenet: Belgian cable broadband provider"),
    6830: (ISP, "Liberty Global: cable operator group (UPC networks)"),
    8422: (ISP, "NetCologne: regional German telecom and broadband provider (Cologne)"),
    8767: (ISP, "M-net: regional German telecom and fibre provider (Munich)"),
    20880: (ISP, "Tele Columbus (PYUR): German cable broadband provider"),
    6730: (ISP, "Sunrise: Swiss telecom and cable operator"),
    2119: (ISP, "Telenor Norge: Norwegian incumbent telecom operator"),
    9158: (ISP, "Telenor A/S: Danish telecom operator"),
    8473: (ISP, "Bahnhof: Swedish internet provider"),
    16086: (ISP, "DNA Oyj: Finnish telecom operator"),
    2586: (ISP, "Elisa Eesti: Estonian telecom operator"),
    12741: (ISP, "Netia: Polish telecom and broadband provider"),
    6799: (ISP, "OTE: Greek incumbent telecom operator"),
    1241: (ISP, "Nova (ex Forthnet): Greek broadband and pay-TV provider"),
    6849: (ISP, "Ukrtelecom: Ukrainian incumbent telecom operator"),
    25513: (ISP, "MGTS: Moscow city telephone network, fixed-line and fibre provider"),
    9049: (ISP, "ER-Telecom (Dom.ru): Russian broadband provider"),
    9198: (ISP, "Kazakhtelecom: Kazakh incumbent telecom operator"),
    34984: (ISP, "Superonline: Turkish fibre broadband provider"),
    1680: (ISP, "Cellcom Fixed Line (ex 013 Netvision): Israeli internet provider"),
    8551: (ISP, "Bezeq International: Israeli internet provider"),
    25019: (ISP, "Saudi Telecom Company (stc): Saudi incumbent telecom operator"),
    58224: (ISP, "TCI: Iranian incumbent telecom operator"),
    8452: (ISP, "TE Data: Telecom Egypt's internet provider"),
    6713: (ISP, "Itissalat Al-Maghrib (Maroc Telecom): Moroccan incumbent"),
    36947: (ISP, "Algerie Telecom: Algerian incumbent telecom operator"),
    16637: (ISP, "MTN South Africa: telecom operator"),
    37100: (ISP, "SEACOM: African submarine-cable carrier and internet provider"),
    17557: (ISP, "PTCL: Pakistani incumbent telecom operator"),
    9829: (ISP, "BSNL: Indian state telecom operator"),
    17488: (ISP, "Hathway: Indian cable broadband provider"),
    17494: (ISP, "BTCL: Bangladeshi state telecom operator"),
    9329: (ISP, "Sri Lanka Telecom: Sri Lankan incumbent"),
    2516: (ISP, "KDDI: Japanese telecom operator"),
    2497: (ISP, "Internet Initiative Japan (IIJ): Japanese internet provider"),
    17511: (ISP, "OPTAGE (eo): Kansai fibre broadband provider"),
    9824: (ISP, "JCOM (J:COM): Japanese cable operator"),
    4780: (ISP, "Digital United (SEEDNet): Taiwanese internet provider"),
    9269: (ISP, "Hong Kong Broadband Network: Hong Kong fibre broadband provider"),
    4609: (ISP, "CTM: Macau incumbent telecom operator"),
    9394: (ISP, "China TieTong: Chinese fixed-line operator (China Mobile group)"),
    55430: (ISP, "StarHub: Singapore telecom and broadband provider"),
    7470: (ISP, "True Internet: Thai broadband provider"),
    45758: (ISP, "Triple T Broadband (3BB): Thai broadband provider"),
    9299: (ISP, "PLDT: Philippine incumbent telecom operator"),
    7713: (ISP, "Telkom Indonesia: Indonesian incumbent"),
    4761: (ISP, "Indosat: Indonesian telecom operator"),
    7552: (ISP, "Viettel: Vietnamese telecom operator"),
    45899: (ISP, "VNPT: Vietnamese incumbent"),
    7545: (ISP, "TPG Internet: Australian broadband provider"),
    4771: (ISP, "Spark New Zealand: NZ incumbent telecom operator"),
    1299: (ISP, "Arelion (ex Telia Carrier): international backbone carrier"),
    # --- mobile carriers ------------------------------------------------------------------------------------
    20057: (MOB, "AT&T Mobility: US mobile carrier's wireless network AS"),
    206067: (MOB, "Hutchison 3G UK (Three): UK mobile carrier"),
    35228: (MOB, "Telefonica UK (O2): UK mobile carrier"),
    44034: (MOB, "Hi3G Access (Tre): Swedish mobile carrier"),
    8374: (MOB, "Polkomtel (Plus): Polish mobile carrier"),
    16135: (MOB, "Turkcell: Turkish mobile carrier"),
    15895: (MOB, "Kyivstar: Ukrainian mobile carrier"),
    24445: (MOB, "China Mobile: Chinese mobile carrier"),
    23693: (MOB, "Telkomsel: Indonesian mobile carrier"),
    24203: (MOB, "XL Axiata: Indonesian mobile carrier"),
    10139: (MOB, "Smart Communications (PLDT group): Philippine mobile carrier"),
    45430: (MOB, "Advanced Wireless Network (AIS): Thai mobile carrier"),
    132061: (MOB, "Realmove (TrueMove H): Thai mobile carrier"),
    131429: (MOB, "MobiFone: Vietnamese mobile carrier"),
    10030: (MOB, "Celcom Axiata: Malaysian mobile carrier"),
    24499: (MOB, "Telenor Pakistan: Pakistani mobile carrier"),
    138384: (MOB, "Rakuten Mobile: Japanese mobile carrier"),
    9790: (MOB, "Two Degrees Mobile (2degrees): NZ mobile carrier"),
    28403: (MOB, "RadioMovil Dipsa (Telcel): Mexican mobile carrier"),
    33771: (MOB, "Safaricom: Kenyan mobile carrier"),
    29465: (MOB, "MTN Nigeria: Nigerian mobile carrier"),
    # --- clouds, CDNs and hosters ---------------------------------------------------------------------------
    31898: (HOST, "Oracle Cloud Infrastructure: public cloud"),
    14061: (HOST, "DigitalOcean: cloud hosting provider"),
    36351: (HOST, "IBM Cloud (ex SoftLayer): public cloud"),
    45102: (HOST, "Alibaba Cloud (US): public cloud"),
    37963: (HOST, "Alibaba Cloud (Hangzhou Alibaba Advertising): public cloud"),
    200350: (HOST, "Yandex.Cloud: public cloud"),
    54113: (HOST, "Fastly: CDN"),
    19551: (HOST, "Incapsula (Imperva): CDN and DDoS protection"),
    36692: (HOST, "Cisco OpenDNS: DNS resolver and security cloud service"),
    12876: (HOST, "Scaleway: cloud and dedicated server provider"),
    20473: (HOST, "The Constant Company (Vultr): cloud hosting provider"),
    51167: (HOST, "Contabo: VPS and dedicated server provider"),
    40021: (HOST, "Contabo Inc.: VPS and dedicated server provider (US)"),
    8560: (HOST, "IONOS: web hosting and cloud provider"),
    20857: (HOST, "Signet (TransIP): Dutch hosting provider"),
    46606: (HOST, "Unified Layer (Bluehost, Newfold Digital): web hosting"),
    26496: (HOST, "GoDaddy: web hosting"),
    32244: (HOST, "Liquid Web: managed hosting provider"),
    22612: (HOST, "Namecheap: domain registrar and web hosting"),
    36352: (HOST, "HostPapa (ex ColoCrossing network): hosting provider"),
    35916: (HOST, "Multacom: data centre and server hosting"),
    53667: (HOST, "FranTech Solutions (BuyVM): VPS hosting"),
    25820: (HOST, "IT7 Networks: VPS hosting"),
    19318: (HOST, "Interserver: hosting provider"),
    8100: (HOST, "QuadraNet: dedicated server hosting"),
    51852: (HOST, "Private Layer: dedicated server hosting"),
    63473: (HOST, "HostHatch: VPS hosting"),
    55286: (HOST, "B2 Net Solutions (ServerMania): server hosting"),
    32097: (HOST, "WholeSale Internet: dedicated server hosting"),
    11878: (HOST, "tzulo: server hosting and colocation"),
    397423: (HOST, "Tier.Net: dedicated server hosting"),
    4785: (HOST, "xTom: VPS and server hosting"),
    3223: (HOST, "Voxility: hosting and DDoS-protected servers"),
    15817: (HOST, "Mittwald CM Service GmbH & Co. KG: German web hoster (a KG; the registered name oddly starts 'Robert Meyer trading as')"),
    34788: (HOST, "Neue Medien Muennich (all-inkl.com): German web hoster"),
    29066: (HOST, "velia.net: German server hosting"),
    50673: (HOST, "Serverius: Dutch data centre and hosting provider"),
    49981: (HOST, "WorldStream: Dutch dedicated server hosting"),
    202425: (HOST, "IP Volume: server hosting"),
    206264: (HOST, "Amarutu Technology: server hosting"),
    13213: (HOST, "UK-2 (UK2.net): UK web hosting"),
    12824: (HOST, "home.pl: Polish web hoster"),
    9123: (HOST, "Timeweb: Russian hosting provider"),
    197695: (HOST, "REG.RU: Russian domain registrar and hosting provider"),
    48282: (HOST, "Hosting technology (VDSina): VPS hosting"),
    49505: (HOST, "Selectel: Russian cloud and data centre provider"),
    4694: (HOST, "IDC Frontier: Japanese data centre and cloud provider"),
    # --- anonymising services -------------------------------------------------------------------------------
    39351: (ANON, "31173 Services AB: operating company of Mullvad VPN"),
    216025: (ANON, "Mullvad VPN AB: VPN service"),
    136787: (ANON, "PacketHub: network operator of NordVPN's servers"),
    208323: (ANON, f"Foundation for Applied Privacy: non-profit that {TOR}"),
    396507: (ANON, f"Emerald Onion: non-profit that {TOR}"),
    60729: (ANON, f"Stiftung Erneuerbare Freiheit: foundation that {TOR}"),
    205100: (ANON, f"F3 Netze e.V.: association that {TOR}"),
    # --- enterprises ----------------------------------------------------------------------------------------
    714: (BIZ, "Apple Inc.: consumer electronics and software company"),
    33619: (BIZ, "Advanced Micro Devices: semiconductor company"),
    4983: (BIZ, "Intel Corporation: semiconductor company"),
    3828: (BIZ, "Cirrus Logic: semiconductor company"),
    109: (BIZ, "Cisco Systems: networking equipment maker (corporate network)"),
    14398: (BIZ, "Autodesk: design software company"),
    13524: (BIZ, "Arrow Electronics: electronics distributor"),
    14381: (BIZ, "Caterpillar: construction machinery maker"),
    2717: (BIZ, "Cummins: engine maker"),
    26131: (BIZ, "Harley-Davidson: motorcycle maker"),
    6075: (BIZ, "Lockheed Martin: aerospace and defence company"),
    7792: (BIZ, "3M Company: industrial conglomerate"),
    1766: (BIZ, "Exxon Mobil: oil and gas company"),
    7862: (BIZ, "Chevron: oil and gas company"),
    20478: (BIZ, "General Mills: food maker"),
    11003: (BIZ, "Procter & Gamble: consumer goods maker"),
    13567: (BIZ, "Kimberly-Clark: consumer goods maker"),
    10967: (BIZ, "The Home Depot: home improvement retailer"),
    11596: (BIZ, "Best Buy: electronics retailer"),
    40026: (BIZ, "Dick's Sporting Goods: retailer"),
    32567: (BIZ, "GameStop: video game retailer"),
    17301: (BIZ, "Fastenal: industrial supplies distributor"),
    53741: (BIZ, "American Airlines: airline"),
    14014: (BIZ, "Canadian National Railway: railway company"),
    21899: (BIZ, "Abbott Laboratories: medical device and pharma company"),
    46186: (BIZ, "Gilead Sciences: biopharmaceutical company"),
    12158: (BIZ, "Illumina: genomics instruments maker"),
    7054: (BIZ, "Merck & Co.: pharmaceutical company"),
    7068: (BIZ, "Pfizer: pharmaceutical company"),
    5647: (BIZ, "Eastman Kodak: imaging and chemicals company"),
    11409: (BIZ, "Equifax: credit reporting company"),
    6195: (BIZ, "Goldman Sachs: investment bank"),
    10794: (BIZ, "Bank of America: bank"),
    4196: (BIZ, "Wells Fargo: bank"),
    26380: (BIZ, "MasterCard Technologies: payments company"),
    2559: (BIZ, "Visa International Service Association: payments company"),
    36856: (BIZ, "Mozilla Corporation: the for-profit (taxable) subsidiary of the Mozilla Foundation, browser maker"),
    3271: (BIZ, "SAP SE: enterprise software company"),
    15465: (BIZ, "Siemens AG: industrial conglomerate"),
    214398: (BIZ, "Siemens Energy Global GmbH & Co. KG: energy technology company (both names in the holder are companies)"),
    9183: (BIZ, "Robert Bosch GmbH: engineering and electronics company"),
    13043: (BIZ, "Bayer AG: pharmaceutical and chemicals company"),
    20765: (BIZ, "Henkel AG & Co. KGaA: consumer and industrial goods maker"),
    31399: (BIZ, "Mercedes-Benz Group AG: car maker"),
    206618: (BIZ, "Volkswagen AG: car maker"),
    211483: (BIZ, "Continental AG: automotive supplier"),
    201026: (BIZ, "Zalando SE: online fashion retailer"),
    211820: (BIZ, "Evotec SE: drug discovery company"),
    12349: (BIZ, "Bayer AG: pharmaceutical and chemicals company"),
    42879: (BIZ, "Hannover Rueck SE: reinsurer"),
    22683: (BIZ, "Koninklijke Philips: health technology company"),
    25413: (BIZ, "ASML Netherlands: lithography machine maker"),
    61357: (BIZ, "Koninklijke Ahold Delhaize: grocery retailer"),
    8211: (BIZ, "Rabobank: cooperative bank"),
    13169: (BIZ, "ABN AMRO Bank: bank"),
    15625: (BIZ, "ING Bank: bank"),
    3917: (BIZ, "Shell Information Technology International: Shell's IT company"),
    3295: (BIZ, "Societe Generale: bank"),
    21070: (BIZ, "TotalEnergies SE: oil and gas company"),
    21272: (BIZ, "Danone: food company"),
    62928: (BIZ, "LVMH Moet Hennessy Louis Vuitton: luxury goods company"),
    36291: (BIZ, "Sanofi: pharmaceutical company"),
    206720: (BIZ, "Airbus SAS: aircraft maker"),
    56499: (BIZ, "BNP Paribas Personal Finance S.A.: consumer credit bank (both names in the holder are the company)"),
    35350: (BIZ, "UCB Pharma: pharmaceutical company"),
    48647: (BIZ, "Solvay SA: chemicals company"),
    21188: (BIZ, "Unilever PLC: consumer goods maker"),
    8435: (BIZ, "Lloyds Banking Group: bank"),
    20705: (BIZ, "HSBC Bank plc: bank"),
    15752: (BIZ, "BP International: oil and gas company"),
    39060: (BIZ, "Sainsbury's Supermarkets: grocery retailer"),
    28680: (BIZ, "IKEA IT AB: IKEA's IT company (furniture retailer)"),
    28723: (BIZ, "Nokia Oyj: telecom equipment maker"),
    8883: (BIZ, "UBS AG: bank"),
    8640: (BIZ, "Zurich Insurance Company: insurer"),
    2047: (BIZ, "Hoffmann-La Roche: pharmaceutical company"),
    25031: (BIZ, "Novartis AG: pharmaceutical company"),
    47198: (BIZ, "Genmab A/S: biotech company"),
    42175: (BIZ, "Equinor ASA: oil and gas company"),
    56961: (BIZ, "ESAB AB: welding equipment maker"),
    # --- universities and research and education networks --------------------------------------------------
    3: (EDU, "Massachusetts Institute of Technology: university"),
    17: (EDU, "Purdue University"),
    25: (EDU, "University of California, Berkeley"),
    32: (EDU, "Stanford University"),
    59: (EDU, "University of Wisconsin-Madison"),
    73: (EDU, "University of Washington"),
    88: (EDU, "Princeton University"),
    111: (EDU, "Boston University"),
    14: (EDU, "Columbia University"),
    9: (EDU, "Carnegie Mellon University"),
    26: (EDU, "Cornell University"),
    31: (EDU, "California Institute of Technology: university"),
    46: (EDU, "Rutgers, The State University of New Jersey"),
    104: (EDU, "University of Colorado Boulder"),
    160: (EDU, "University of Chicago"),
    20: (EDU, "University of Rochester"),
    56357: (EDU, "Technical University of Munich"),
    12816: (EDU, "Leibniz-Rechenzentrum: computing centre of the Munich universities (Bavarian Academy of Sciences)"),
    10715: (EDU, "Universidade Federal de Santa Catarina: Brazilian federal university"),
    2716: (EDU, "Universidade Federal do Rio Grande do Sul: Brazilian federal university"),
    2683: (EDU, "Lomonosov Moscow State University"),
    5468: (EDU, "Ural Federal University"),
    132792: (EDU, "University of the Philippines Visayas"),
    786: (EDU, f"Jisc (JANET): UK {NREN}"),
    680: (EDU, f"DFN-Verein: German {NREN}"),
    1103: (EDU, f"SURF: Dutch {NREN}"),
    2200: (EDU, f"RENATER: French {NREN}"),
    137: (EDU, f"GARR: Italian {NREN}"),
    766: (EDU, f"RedIRIS (Red.es): Spanish {NREN}"),
    2852: (EDU, f"CESNET: Czech {NREN}"),
    559: (EDU, f"SWITCH: Swiss {NREN}"),
    2611: (EDU, f"BELNET: Belgian {NREN}"),
    7575: (EDU, f"AARNet: Australian {NREN}"),
    11537: (EDU, f"Internet2: US {NREN}"),
    1916: (EDU, f"RNP: Brazilian {NREN}"),
    2018: (EDU, f"TENET: South African {NREN}"),
    2907: (EDU, f"SINET (National Institute of Informatics): Japanese {NREN}"),
    # --- government bodies ----------------------------------------------------------------------------------
    721: (GOV, "DoD Network Information Center: US Department of Defense"),
    27064: (GOV, "DoD Network Information Center: US Department of Defense"),
    749: (GOV, "US Department of Defense"),
    297: (GOV, "NASA: US federal space agency"),
    1999: (GOV, "US House of Representatives: legislature"),
    3495: (GOV, "US Senate: legislature"),
    2532: (GOV, "Library of Congress: US federal agency"),
    11985: (GOV, "Social Security Administration: US federal agency"),
    14298: (GOV, "Environmental Protection Agency: US federal agency"),
    15147: (GOV, "Department of Homeland Security: US federal department"),
    1226: (GOV, "California Department of Technology: state government"),
    1798: (GOV, "State of Oregon: state government"),
    6922: (GOV, "Texas Department of Information Resources: state government"),
    3724: (GOV, "State of Alaska: state government"),
    8692: (GOV, "Bundesrechenzentrum GmbH: Austrian federal computing centre, owned by the Republic of Austria"),
    16314: (GOV, "Magistrat der Stadt Wien: Vienna city administration"),
    12991: (GOV, "Amt der Oberoesterreichischen Landesregierung: Upper Austria state government"),
    8956: (GOV, "Stadt Flensburg: German municipality"),
    197737: (GOV, "hannIT AoeR: public-law IT service institution of the Hannover region"),
    210378: (GOV, "Kanton Zuerich: Swiss canton administration"),
    50110: (GOV, "Obergericht des Kantons Zuerich: cantonal high court"),
    6829: (GOV, "Vestland fylkeskommune: Norwegian county authority"),
    15806: (GOV, "Irish Government: government network"),
    15991: (GOV, "Swedish Tax Agency (Skatteverket): government agency"),
    8962: (GOV, "Centrum Obslugi Administracji Rzadowej: Polish government administration service centre"),
    8867: (GOV, "Government ICT Authority: Israeli government agency"),
    17147: (GOV, "Ministerio del Interior y Seguridad Publica: Chilean government ministry"),
    10954: (GOV, "SERPRO: Brazilian federal data processing service (state-owned)"),
    18431: (GOV, "Department of Foreign Affairs and Trade: Australian government department"),
    17478: (GOV, "Bangkok Metropolitan Administration: city government"),
    18127: (GOV, "Ibaraki Prefectural Government: Japanese prefecture"),
    7665: (GOV, "Okayama Prefectural Government: Japanese prefecture"),
    17485: (GOV, "Trade and Industry Department, HKSAR Government"),
    288: (GOV, "European Space Agency: intergovernmental space agency"),
    # --- non-profits ----------------------------------------------------------------------------------------
    14907: (NPO, "Wikimedia Foundation: non-profit (US 501(c)(3)) running Wikipedia"),
    7941: (NPO, "Internet Archive: non-profit digital library"),
    1280: (NPO, "Internet Systems Consortium: non-profit (BIND, DHCP, F-root)"),
    3856: (NPO, "Packet Clearing House: non-profit internet infrastructure organisation"),
    42: (NPO, "WoodyNet: Packet Clearing House's non-profit network operator"),
    4608: (NPO, "APNIC: not-for-profit regional internet registry"),
    10745: (NPO, "ARIN: non-profit regional internet registry"),
    28000: (NPO, "LACNIC: non-profit regional internet registry"),
    33764: (NPO, "AFRINIC: not-for-profit regional internet registry"),
    16876: (NPO, "ICANN: non-profit public-benefit corporation"),
    25192: (NPO, "CZ.NIC: association of legal persons (z.s.p.o.) running .cz"),
    17987: (NPO, ".au Domain Administration: not-for-profit running .au"),
    8283: (NPO, "Netwerkvereniging Coloclue: member association (vereniging)"),
    6766: (NPO, "Chaos Computer Club Darmstadt e.V.: registered association"),
    202360: (NPO, "The Global Fund to Fight AIDS, Tuberculosis and Malaria: foundation"),
    7152: (NPO, "American Red Cross: humanitarian non-profit"),
    57965: (NPO, "International Committee of the Red Cross: humanitarian organisation (association under Swiss law)"),
    133880: (NPO, "Thai Red Cross Society: humanitarian non-profit"),
    37470: (NPO, "Kenya Red Cross Society: humanitarian non-profit"),
    # --- natural persons as holders (sole traders) ----------------------------------------------------------
    39291: (SOLE, NATURAL), 207902: (SOLE, NATURAL), 212226: (SOLE, NATURAL), 216233: (SOLE, NATURAL),
    64478: (SOLE, NATURAL), 200056: (SOLE, NATURAL), 265842: (SOLE, NATURAL),
    272038: (SOLE, "natural person (family name, given names) with a trade name in brackets"),
    264625: (SOLE, "natural person (family name, given names) with a trade name in brackets"),
    207449: (SOLE, TRADING), 197464: (SOLE, TRADING), 209086: (SOLE, TRADING), 212252: (SOLE, TRADING),
    202485: (SOLE, TRADING), 64445: (SOLE, TRADING), 57121: (SOLE, TRADING), 212634: (SOLE, TRADING),
    213100: (SOLE, TRADING), 213822: (SOLE, TRADING), 57778: (SOLE, TRADING), 57890: (SOLE, TRADING),
    34681: (SOLE, TRADING), 58132: (SOLE, TRADING), 197047: (SOLE, TRADING),
    198317: (SOLE, PL_JDG), 198216: (SOLE, PL_JDG), 30887: (SOLE, PL_JDG),
    210526: (SOLE, FOP), 211736: (SOLE, FOP), 56435: (SOLE, FOP), 52191: (SOLE, FOP), 197263: (SOLE, FOP),
    267208: (SOLE, BR_ME), 266333: (SOLE, BR_ME), 264533: (SOLE, BR_ME), 264890: (SOLE, BR_ME),
    264000: (SOLE, BR_ME), 268284: (SOLE, BR_ME), 272774: (SOLE, BR_ME),
}

# Registry records of holders whose registered name differs from the AS organisation name (exact names
# in the full registries; slice.py appends the first row of each when the bundled slice lacks it). Parents
# listed at the SEC (e.g. BANK OF AMERICA CORP, Shell plc) are already in the bundled SEC slice.
REGISTRY = {
    10967: [("sec", "HOME DEPOT, INC.")],
    7054: [("sec", "Merck & Co., Inc.")],
    5647: [("sec", "EASTMAN KODAK CO")],
    13169: [("fd", "ABN AMRO Bank N.V. Depositary receipts")],
    25413: [("fd", "ASML Holding N.V.")],
    214398: [("gleif", "Siemens Energy Global GmbH & Co. KG")],
}

# Words too generic to make two organisations "the same" (legal forms, sector words, places, connectives).
GENERIC = set("""
a ab ag as bv co company corp corporation de del des di do du e ev for gmbh group holding inc internet kg limited llc
ltd n nv of oy plc s sa sas se services spa srl the und v y sro doo dd ad jsc pjsc ojsc llp lp l c
communications communication telecom telecommunications telecommunication telecomunicacoes telecomunicaciones telekom
network networks net technology technologies systems solutions information international global data service
digital media cable mobile broadband fibre fiber online telco center centre cloud hosting server servers it
university universidade universidad college institute institution national state federal education research
government department ministry office city county agency public administration bank
america american europe european china korea japan india brasil brazil argentina egypt uk us usa new
north south east west central trading and at com pl ip pe sp z o pvt pte pty sdn bhd kgaa hizmetleri iletisim
enterprises association general security authority metropolitan industry insurance management energy computer system
exchange access advanced fixed tele nic thai netherlands norge italia hong kong
""".split())
# Words shared by unrelated organisations: IDC Frontier (JP) is not Frontier Communications (US), Two Degrees
# (NZ) not Six Degrees (UK); given names of different natural persons.
UNRELATED = {"frontier", "idc", "degrees", "marcin", "marco"}


def words(name):
    return set(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


def distinctive(name):
    return {w for w in words(name) if w not in GENERIC | UNRELATED and len(w) > 1 and not w.isdigit()}


def second(start, end):
    a, b = ipaddress.ip_address(start), ipaddress.ip_address(end)
    return a + 1 if b > a else a


def labelled():
    asns, orgs = set(), set()
    for r in csv.DictReader(open(os.path.join(HERE, "labels.csv"), encoding="utf-8")):
        asns.add(int(r["asn"].removeprefix("AS")))
        orgs.add(r["org"])
    return asns, orgs


def norm(s):
    forms = r"\b(b ?v|n ?v|gmbh|ltd|limited|plc|s ?a ?s?|ag|se|inc|llc|corp|corporation|co|kg|sarl|spa|srl|oy|ab|as)\b"
    s = re.sub(r"[^a-z0-9]+", " ", s.lower())
    return re.sub(r"\s+", " ", re.sub(forms, " ", s)).strip()


def registry_evidence():
    """Normalised name -> evidence text from the bundled SEC and financedatabase slices."""
    ev = {}
    sec = os.path.join(SOURCES, "company-csv", "sec-company-tickers.slice.csv")
    for r in csv.DictReader(open(sec, encoding="utf-8")):
        ev.setdefault(norm(r["name"]), f"SEC EDGAR filer CIK {r['cik']} ticker {r['ticker']}")
    fd = os.path.join(SOURCES, "company-csv", "financedatabase-equities.slice.csv")
    for r in csv.DictReader(open(fd, encoding="utf-8")):
        if r["sector"] and norm(r["name"]) not in ev:
            ev[norm(r["name"])] = f"listed equity {r['symbol']}, sector {r['sector']}"
    return ev


def main():
    lab_asns, lab_orgs = labelled()
    lab_words = set().union(*(distinctive(o) for o in lab_orgs))
    evidence = registry_evidence()
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["ip", "expected_class", "asn", "org", "why"])
    found, problems = set(), []
    for path in SLICES:
        rows = list(csv.reader(open(path, encoding="utf-8")))
        original = {int(r[2]) for r in rows[: ORIGINAL_ROWS[os.path.basename(path)]]}
        for n, row in enumerate(rows, 1):
            start, end, asn, org = row[0], row[1], int(row[2]), row[3]
            if asn not in FACTS:
                continue
            if asn in original:
                problems.append(f"AS{asn} is in the original slice ({path}), not held out")
            if asn in lab_asns or org in lab_orgs:
                problems.append(f"AS{asn} {org!r} is in labels.csv")
            shared = distinctive(org) & lab_words
            if shared:
                problems.append(f"AS{asn} {org!r} shares {sorted(shared)} with a labels.csv organisation")
            found.add(asn)
            cls, why = FACTS[asn]
            extra = evidence.get(norm(org))
            why = f"AS{asn} {why}" + (f"; {extra}" if extra and cls == BIZ else "")
            out.writerow([second(start, end), cls, f"AS{asn}", org, why])
    missing = sorted(set(FACTS) - found)
    if missing:
        problems.append(f"ASNs with a fact but no row in the slices (run slice.py): {missing}")
    if problems:
        raise SystemExit("\n".join(problems))


if __name__ == "__main__":
    main()

"""Where a job is: the place or work mode a posting's title carries after a dash or in
brackets ("- Austin, TX", "(San Francisco)", "(On-Site, Springfield, IL)", "- Remote").

A draft names the job, not its office, so these tails are cut from titles.  A tail is a
place only when something in it is surely one: a work mode, a country, a large city
everyone knows, a town of the gazetteer (``lexicons/places.txt``, alone or with its
district: "Leeds Briggate"), a region word, or a US state or Canadian province code
after a town ("Florham, NJ").  A tail of capitalised words with none of these ("- Case Management",
"(Undergrad)") is the team or the level, and stays.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from .roles import has_role_head

_WORK_MODES = (
    "remote|fully remote|remote-first|hybrid|hybride|híbrido|hibrido|ibrido|on-site|onsite"
    "|on site|in-office|in office|office-based|home office|homeoffice|home-office|wfh"
    "|work from home|télétravail|teletravail|teletrabajo|remoto|en remoto|da remoto"
    "|remote work|thuiswerken|op locatie|vor ort|presencial|presenziale"
    "|multiple locations|various locations|several locations|multiple cities|nationwide"
    "|anywhere|worldwide|emea|apac|latam|americas|europe|europa|north america"
    "|mehrere standorte|bundesweit|deutschlandweit|plusieurs sites|toute la france"
    "|varias ubicaciones|varias localizaciones|meerdere locaties|landelijk|diverse sedi"
    "|várias localidades|vários locais|middle east|mena|africa|asia|asia pacific"
    "|north africa|western europe|eastern europe|central europe|southern europe"
    "|northern europe|uk & ireland|uk and ireland|iberia|dach region|cee"
)
_WORK_MODE = re.compile(rf"(?:{_WORK_MODES})", re.I)

_COUNTRIES = (
    "united states|united states of america|usa|u.s.|u.s.a.|us|america|canada|mexico|méxico"
    "|brazil|brasil|argentina|chile|colombia|peru|perú|uruguay|united kingdom|uk|u.k."
    "|great britain|england|scotland|wales|northern ireland|ireland|france|germany"
    "|deutschland|allemagne|alemania|germania|austria|österreich|switzerland|schweiz|suisse"
    "|svizzera|belgium|belgique|belgië|belgien|netherlands|the netherlands|nederland"
    "|holland|luxembourg|spain|españa|espagne|spagna|portugal|italy|italia|italie|poland"
    "|polska|czechia|czech republic|slovakia|hungary|romania|bulgaria|greece|croatia"
    "|slovenia|serbia|denmark|danmark|sweden|sverige|norway|norge|finland|suomi|iceland"
    "|estonia|latvia|lithuania|ukraine|turkey|türkiye|israel|uae|united arab emirates"
    "|saudi arabia|qatar|egypt|morocco|maroc|tunisia|tunisie|algeria|algérie|nigeria"
    "|kenya|south africa|india|pakistan|bangladesh|sri lanka|china|hong kong|taiwan|japan"
    "|korea|south korea|singapore|malaysia|indonesia|philippines|vietnam|thailand"
    "|australia|new zealand|dach|benelux|nordics|angola|moçambique|mozambique|cabo verde"
    # where aid agencies, missions and mines post jobs
    "|uganda|tanzania|rwanda|burundi|ethiopia|somalia|south sudan|sudan|chad|niger|mali"
    "|burkina faso|senegal|guinea|sierra leone|liberia|côte d'ivoire|ivory coast|ghana"
    "|togo|benin|cameroon|cameroun|gabon|congo|drc|central african republic|zambia"
    "|zimbabwe|malawi|madagascar|namibia|botswana|lesotho|eswatini|mauritania|libya"
    "|jordan|lebanon|liban|syria|iraq|iran|yemen|oman|kuwait|bahrain|afghanistan|nepal"
    "|myanmar|cambodia|laos|mongolia|kazakhstan|uzbekistan|georgia|armenia|azerbaijan"
    "|moldova|belarus|albania|kosovo|north macedonia|bosnia|montenegro|cyprus|malta"
    "|haiti|cuba|dominican republic|guatemala|honduras|el salvador|nicaragua|costa rica"
    "|panama|panamá|venezuela|ecuador|bolivia|paraguay|jamaica|puerto rico|papua new guinea"
    "|fiji|timor-leste|east timor|bhutan|maldives|guinea-bissau|são tomé|sao tome"
)
_CITIES = (
    "new york|new york city|nyc|san francisco|sf|bay area|san francisco bay area|los angeles"
    "|seattle|boston|chicago|austin|dallas|houston|san antonio|san diego|san jose"
    "|palo alto|mountain view|menlo park|sunnyvale|santa clara|redmond|bellevue|portland"
    "|denver|boulder|phoenix|atlanta|miami|orlando|tampa|charlotte|raleigh|durham"
    "|nashville|washington|washington dc|dc|arlington|baltimore|philadelphia"
    "|pittsburgh|detroit|minneapolis|st. louis|st louis|kansas city|salt lake city"
    "|las vegas|columbus|cleveland|cincinnati|indianapolis|milwaukee|new orleans"
    "|toronto|montreal|montréal|vancouver|ottawa|calgary|london|manchester|birmingham"
    "|leeds|glasgow|edinburgh|bristol|cambridge|oxford|dublin|belfast|cardiff|paris|lyon"
    "|marseille|toulouse|lille|bordeaux|nantes|nice|strasbourg|rennes|montpellier"
    "|grenoble|berlin|munich|münchen|hamburg|frankfurt|frankfurt am main|cologne|köln"
    "|düsseldorf|stuttgart|leipzig|dresden|hannover|nürnberg|nuremberg|bremen|essen"
    "|dortmund|vienna|wien|graz|zurich|zürich|geneva|genève|basel|bern|lausanne|brussels"
    "|bruxelles|brussel|antwerp|antwerpen|ghent|gent|amsterdam|rotterdam|the hague"
    "|den haag|utrecht|eindhoven|groningen|luxembourg city|madrid|barcelona|valencia"
    "|sevilla|seville|bilbao|málaga|malaga|zaragoza|lisbon|lisboa|porto|oporto|braga"
    "|coimbra|milan|milano|rome|roma|turin|torino|naples|napoli|bologna|florence|firenze"
    "|genoa|genova|venice|venezia|padova|verona|copenhagen|københavn|stockholm|gothenburg"
    "|göteborg|malmö|oslo|helsinki|reykjavik|warsaw|warszawa|kraków|krakow|wrocław"
    "|prague|praha|brno|budapest|bucharest|sofia|athens|istanbul|tel aviv|dubai|abu dhabi"
    "|riyadh|doha|cairo|casablanca|lagos|nairobi|cape town|johannesburg|bangalore"
    "|bengaluru|mumbai|delhi|new delhi|hyderabad|pune|chennai|beijing|shanghai|shenzhen"
    "|tokyo|osaka|seoul|sydney|melbourne|brisbane|perth|auckland|são paulo|sao paulo"
    "|rio de janeiro|belo horizonte|curitiba|porto alegre|brasília|brasilia|recife"
    "|salvador|fortaleza|buenos aires|santiago|bogotá|bogota|lima|mexico city"
    "|ciudad de méxico|cdmx|guadalajara|monterrey|montevideo|quito|caracas|luanda|maputo"
    # More of the mid-sized cities of the countries whose languages debriefer reads.
    "|kassel|kiel|mainz|wiesbaden|darmstadt|mannheim|karlsruhe|heidelberg|freiburg|ulm"
    "|augsburg|regensburg|würzburg|bonn|aachen|münster|bielefeld|bochum|duisburg"
    "|wuppertal|magdeburg|erfurt|jena|rostock|lübeck|potsdam|braunschweig|göttingen"
    "|osnabrück|oldenburg|saarbrücken|trier|koblenz|linz|salzburg|innsbruck|klagenfurt"
    "|luzern|lucerne|st. gallen|winterthur|lugano|haarlem|leiden|delft|arnhem|nijmegen"
    "|tilburg|breda|maastricht|zwolle|leeuwarden|enschede|amersfoort|almere|apeldoorn"
    "|den bosch|'s-hertogenbosch|leuven|mechelen|namur|liège|charleroi|brugge|bruges"
    "|nancy|metz|reims|rouen|caen|tours|angers|dijon|clermont-ferrand|saint-étienne"
    "|le mans|brest|limoges|poitiers|pau|perpignan|avignon|toulon|orléans|besançon"
    "|mulhouse|annecy|la rochelle|sevilla|granada|córdoba|cordoba|alicante|murcia"
    "|valladolid|vigo|gijón|oviedo|santander|pamplona|san sebastián|donostia|vitoria"
    "|salamanca|palma|las palmas|santa cruz de tenerife|cádiz|almería|castellón|tarragona"
    "|girona|lleida|burgos|león|a coruña|la coruña|badajoz|cáceres|logroño|huesca|teruel"
    "|bergamo|brescia|modena|parma|reggio emilia|pisa|livorno|siena|perugia|ancona|bari"
    "|lecce|palermo|catania|messina|cagliari|trieste|udine|trento|bolzano|vicenza|treviso"
    "|como|pavia|novara|aveiro|faro|setúbal|évora|viseu|leiria|guimarães|funchal"
    "|ponta delgada|campinas|santos|florianópolis|goiânia|manaus|belém|vitória|natal"
    "|maceió|joão pessoa|são luís|teresina|campo grande|cuiabá|londrina|joinville"
)
_PLACES = frozenset(_COUNTRIES.split("|")) | frozenset(_CITIES.split("|"))


@cache
def _gazetteer() -> frozenset[str]:
    """The cities, towns, regions and districts of ``lexicons/places.txt``, lower-cased:
    written by the developers from their own knowledge, leaving out the names that are
    as often a word, a first name or a team ("Reading", "Florence", "Orange")."""
    text = resources.files(__package__).joinpath("lexicons", "places.txt").read_text("utf-8")
    return _PLACES | frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _known(piece: str) -> bool:
    """A place the lists know, or one of their places with its district after it
    ("Leeds Briggate", "Kassel-Wilhelmshöhe", "Zaragoza-Plaza")."""
    low = piece.lower().rstrip(".")
    places = _gazetteer()
    if low in places or low + "." in places:
        return True
    first = re.split(r"[\s-]", low, maxsplit=1)[0]
    return first != low and first in places and len(piece.split()) <= 3


# Two-letter codes of US states and Canadian provinces: a place after "Town, ".
_STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH"
    " NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR"
    " AB BC MB NB NL NS NT NU ON PE QC SK YT".split()
)
_PIECES = re.compile(r"\s*(?:,|;|&|/|\s(?:and|or|y|et|und|e|en|o|of)\s)\s*")
_TOWN = re.compile(
    r"(?:[A-ZÀ-Þ][\w'’.-]*)(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|de|la|del|sur|am|an|upon|on|im|in))*"
)


# A compass word before a place: "Northern Uganda", "Greater Manchester", "Sud Italia".
_COMPASS = re.compile(
    r"^(?:northern|southern|eastern|western|north|south|east|west|central|greater|nord|süd"
    r"|sud|ost|norte|sur|sul|noord|zuid|oost|centre|centro)\s+",
    re.I,
)


def is_known_place(piece: str) -> bool:
    """Whether the lists know this as a place or a work mode, whole: "Zwolle", "Middle
    East", "Kassel-Wilhelmshöhe", "Northern Uganda"; no guess from capitals alone."""
    low = piece.strip().lower().rstrip(".")
    if _WORK_MODE.fullmatch(low):
        return True
    compass = _COMPASS.match(piece.strip())
    return _known(piece.strip()[compass.end() :] if compass else piece.strip())


def is_place(part: str, *, towns: bool = True) -> bool:
    """Whether a title's tail names only where the job is, and surely so.  ``towns``
    False asks only the short lists of countries and large cities: a firm is as often
    named after a town ("Marlow Analytics") as a title's tail names one."""
    inner = part.strip(" ()[]-–—|·")
    pieces = [p for p in _PIECES.split(inner) if p and p.strip()]
    if not pieces:
        return False
    sure = False
    for index, piece in enumerate(pieces):
        piece = piece.strip()
        low = piece.lower().rstrip(".")
        listed = is_known_place(piece) if towns else (low in _PLACES or low + "." in _PLACES)
        known = listed or bool(_WORK_MODE.fullmatch(low))
        if known or (index > 0 and piece in _STATE_CODES):
            sure = True
        elif not (_TOWN.fullmatch(piece) and len(piece.split()) <= 3) or has_role_head(piece):
            return False
    return sure

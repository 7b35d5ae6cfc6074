"""Who sent it: people, no-reply robots and applicant-tracking systems."""

from __future__ import annotations

import re
import unicodedata as _unicodedata
from functools import lru_cache

from .lexicon import alternation

# Applicant-tracking systems and job boards send on a company's behalf; their
# From is never a person to write to.  Matched as a domain label's start, so
# regional and mail subdomains (us.greenhouse-mail.io, hire.lever.co) count.
ATS_NAMES = (
    "greenhouse",
    "greenhouse-mail",
    "lever",
    "myworkday",
    "workday",
    "myworkdayjobs",
    "workdaymail",
    "ashbyhq",
    "ashby",
    "icims",
    "smartrecruiters",
    "successfactors",
    "sapsf",
    "taleo",
    "oraclecloud",
    "jobvite",
    "bamboohr",
    "workable",
    "workablemail",
    "recruitee",
    "personio",
    "teamtailor",
    "teamtailor-mail",
    "linkedin",
    "indeed",
    "indeedemail",
    "brassring",
    "adp",
    "ziprecruiter",
    "glassdoor",
    "rippling",
    "breezy",
    "breezyhr",
    "jazzhr",
    "applytojob",
    "pinpointhq",
    "comeet",
    "softgarden",
    "dvinci",
    "d-vinci",
    "stepstone",
    "welcometothejungle",
    "hibob",
    "ultipro",
    "ukg",
    "avature",
    "phenom",
    "eightfold",
    "dayforce",
    "dayforcehcm",
    "cornerstoneondemand",
    "csod",
    "jobylon",
    "homerun",
    "recruitcrm",
    "manatal",
    "zohorecruit",
    "freshteam",
    "bullhorn",
    "beamery",
    "hire",
    "hirebridge",
    "wellfound",
    "otta",
    "monster",
    "careerbuilder",
    "xing",
    "infojobs",
    "jobteaser",
    "join",
    "paradox",
    "paylocity",
    "hirevue",
    "jobscore",
    "recruiterbox",
    "trakstar",
    "kenjo",
    "factorial",
    "concludis",
    "rexx-systems",
    "umantis",
    "haufe",
)
_ATS_DOMAIN = re.compile(rf"(?:^|\.){alternation(ATS_NAMES)}(?:[.-]|$)", re.IGNORECASE)
_NO_REPLY_LOCAL = re.compile(
    r"(?:^|[._+-])(?:no-?reply|do-?not-?reply|donotreply|noreply|ne-?pas-?repondre|nepasrepondre"
    r"|no-?responder|noresponder|geen-?antwoord|keine-?antwort|mailer-daemon|postmaster"
    r"|bounces?|notifications?|notification|notify|auto-?reply|autoreply|auto-?confirm"
    r"|alerts?|system|automated|mailer|jobs-noreply|invitations|updates|news|newsletter"
    r"|marketing|digest)(?:$|[._+-])",
    re.IGNORECASE,
)


# Mailbox providers many unrelated people share: their domain names no company.
# Compared by the name before the top-level part, so hotmail.de and yahoo.co.uk count.
SHARED_PROVIDERS = frozenset(
    "gmail googlemail outlook hotmail live msn yahoo ymail icloud me mac aol proton protonmail"
    " pm gmx web t-online freenet posteo mailbox orange free laposte sfr wanadoo neuf bbox"
    " telefonica movistar libero virgilio tiscali alice ziggo kpnmail planet home hetnet"
    " telenet skynet proximus sapo uol bol terra ig btinternet sky virginmedia talktalk mail"
    " zoho yandex fastmail hey tutanota tuta seznam wp o2 onet interia".split()
)


def company_domain(address: str | None) -> str | None:
    """The domain of an address when it is a company's own, not a shared provider's or an
    applicant-tracking system's."""
    if not address or "@" not in address:
        return None
    domain = address.rpartition("@")[2].strip().lower()
    if not domain or "." not in domain or is_ats_domain(domain):
        return None
    labels = domain.split(".")
    # "hotmail.co.uk" -> "hotmail"; "mail.yahoo.com" -> "yahoo"; "web.de" -> "web"
    provider = labels[-3] if len(labels) >= 3 and len(labels[-2]) <= 3 else labels[-2]
    return None if provider in SHARED_PROVIDERS else domain


def is_ats_domain(domain: str) -> bool:
    return bool(_ATS_DOMAIN.search(domain))


def is_no_reply(address: str) -> bool:
    return bool(_NO_REPLY_LOCAL.search(address.rpartition("@")[0]))


def is_bounce_sender(address: str) -> bool:
    local = address.rpartition("@")[0].lower()
    return local in {"mailer-daemon", "postmaster", "mail-daemon"}


def is_writable_contact(address: str, user_addresses: frozenset[str]) -> bool:
    """An address a person reads: not a robot, not an ATS relay, not the user."""
    address = address.lower()
    return (
        "@" in address
        and address not in user_addresses
        and not is_no_reply(address)
        and not is_ats_domain(address.rpartition("@")[2])
    )


# Words of recruiting departments in our five languages: a display name with
# one of them is a role account ("Adquisición de Talento"), not a person or a company.
ROLE_WORDS = re.compile(
    r"(?<![\w-])(?:recruit\w*|talent\w*|hiring|careers?|jobs?|hr|rrhh|people|human resources"
    r"|recursos humanos|adquisición|adquisicion|selección|seleccion|recrutement|ressources"
    r"|humaines|werving|selectie|personeelszaken|personal\w*|bewerbermanagement|karriere"
    r"|risorse umane|ufficio|recrutamento|reclutamiento|selezione|seleção|selecao"
    r"|no-?reply|noreply|notifications?)(?![\w-])",
    re.IGNORECASE,
)
# Display-name words that mark an organisation or a role account, not a person.
_ORG_WORDS = re.compile(
    r"(?<![\w-])(?:recruit\w*|talent|team|careers?|jobs?|hr|human|resources|hiring|no-?reply"
    r"|noreply|notifications?|people|acquisition|inc|llc|ltd|gmbh|ag|bv|b\.v|sa|sas|sl|corp"
    r"|corporation|company|group|university|support|admin|office|info|service|services|bank"
    r"|technologies|solutions|labs|the|personal|personalabteilung|bewerbermanagement"
    r"|rrhh|recursos|humanos|équipe|equipo|afdeling|werving|selectie|workday|greenhouse|lever"
    r"|recrutement|selección|seleccion|adquisición|grupo|groupe|cabinet|departamento"
    r"|linkedin|indeed|icims|ashby|system|mail|via|at|@|careers?|hi|hello|dear|hallo|liebe"
    r"|bonjour|hola|beste|hoi|thanks|regards|grüße|groet"
    # Departments and recruiting words of the other languages: "Lindgrün Karriere",
    # "Ressources Humaines", "Personeelszaken", "Risorse Umane", "Ufficio Personale".
    r"|karriere|ressources|humaines|personeelszaken|risorse|umane|ufficio|personale"
    r"|recrutamento|reclutamiento|selezione|talento|empleo|emploi|vacatures"
    # the committees and panels that sign for a university or a public body
    r"|committee|commission|comité|comite|comisión|comision|commissione|kommission"
    r"|ausschuss|commissie|comissão|comissao|panel|board|search)(?![\w-])",
    re.IGNORECASE,
)
# Words a firm's name ends in, in the languages we read: "Brückner Elektrotechnik",
# "Ondasur Telecom", "Van Dijk Bouw" are no one's name.
_FIRM_WORD = re.compile(
    r"(?:\w*(?:technik|techniek|tech|logistik|logistiek|logistique|logistica|elektro\w*|bau"
    r"|bouw|werke?|verlag|versicherung\w*|immobilien|klinik\w*|consult\w*|systems?|software"
    r"|digital|media|design|energ\w*|partners?|holding|gruppe|telecom|pharma\w*|finance"
    r"|capital|ventures|analytics|robotics|studios?|agency|agentur|agence|servicios"
    r"|soluciones|sistemas|ingenier\w*|diensten|adviseurs|services|solutions|industries"
    r"|global|zone|vacancies|networks?|health|healthcare|airlines?|hotels?))",
    re.IGNORECASE,
)
# Words of organisations, trades, shops, institutions and departments in the seven
# languages: a name with one of them is a firm or an office, never a person to write to
# ("Thistledown Coffee Roasters", "Kaffeerösterei Wendelin", "Gemeente Zeeveld",
# "Câmara Municipal de Vilarelho", "Universität Grauwald", "Panadería Soleado").
ORG_NAME_WORDS = re.compile(
    r"(?i:(?<![\w-])(?:"
    # en
    r"council|municipality|municipal|city|county|borough|district|parish|ministry|department"
    r"|dept|office|bureau|authority|government|university|college|school|academy|institute"
    r"|hospital|clinic|surgery|library|bookshop|bookstore|books|bakery|bakehouse|patisserie"
    r"|café|cafe|coffee|roasters?|roastery|restaurant|bistro|brasserie|pub|hotel|hostel|inn"
    r"|studios?|agency|consulting|consultants|consultancy|partners|group|holdings?"
    r"|foundation|association|society|trust|charity|museum|gallery|shop|store|stores|market"
    r"|pharmacy|salon|brewery|winery|distillery|kitchen|company|corporation|services"
    r"|solutions|labs?|ventures|capital|media|press|publishing|logistics|foods|supplies|works"
    r"|center|centre|club|collective|cooperative|co-op|union|federation|board|network|nursery"
    r"|garden|gardens|florist|boutique|atelier|workshop|factory|farm|dairy|motors|garage"
    # de
    r"|stadt|gemeinde|landkreis|kreis|rathaus|verwaltung|behörde|ministerium|universität"
    r"|hochschule|schule|gymnasium|klinikum|krankenhaus|praxis|bibliothek|buchhandlung"
    r"|bäckerei|konditorei|kaffee|rösterei|gasthaus|gasthof|agentur|beratung|gruppe"
    r"|stiftung|verein|verband|kanzlei|apotheke|werkstatt|zentrum|akademie|personalamt"
    r"|stadtwerke"
    # fr
    r"|ville|mairie|commune|département|région|conseil|ministère|préfecture|université|école"
    r"|lycée|collège|hôpital|clinique|bibliothèque|librairie|boulangerie|pâtisserie|brûlerie"
    r"|torréfaction|hôtel|agence|cabinet|groupe|fondation|institut|centre|pharmacie|maison"
    r"|société|entreprise|mutuelle|métropole|agglomération|marché"
    # es
    r"|ayuntamiento|municipalidad|municipio|diputación|ministerio|consejería|universidad"
    r"|colegio|escuela|instituto|clínica|biblioteca|librería|panadería|pastelería|cafetería"
    r"|tostadores|restaurante|estudio|agencia|consultoría|consultores|grupo|fundación"
    r"|asociación|centro|farmacia|tienda|bodegas?|empresa|generalitat|junta|cabildo"
    # nl
    r"|gemeente|provincie|ministerie|universiteit|hogeschool|ziekenhuis|kliniek|bibliotheek"
    r"|boekhandel|bakkerij|koffie|koffiebranderij|groep|stichting|vereniging|centrum"
    r"|apotheek|winkel|adviesbureau|waterschap|zorggroep"
    # it
    r"|comune|città|provincia|regione|ministero|università|scuola|liceo|ospedale|clinica"
    r"|libreria|panificio|panetteria|pasticceria|caffè|torrefazione|ristorante|albergo"
    r"|agenzia|consulenza|gruppo|fondazione|associazione|istituto|negozio|azienda"
    r"|cooperativa|studio"
    # pt
    r"|câmara|camara|município|prefeitura|ministério|universidade|faculdade|escola|colégio"
    r"|livraria|padaria|pastelaria|torrefação|estúdio|agência|consultoria|fundação"
    r"|associação|farmácia|loja|santa\s+casa"
    r")(?![\w-])"
    # German compounds end in their trade or office: "Kaffeerösterei", "Stadtbibliothek".
    r"|\w(?:rösterei|bäckerei|buchhandlung|apotheke|verwaltung|bibliothek|klinik|klinikum"
    r"|schule|akademie|zentrum|kanzlei|werkstatt|ministerium|verband|verein|stiftung"
    r"|personalamt|amt|gemeinde|kreis)(?![\w-]))"
)
_PARTICLES = frozenset("de da di del della van von der den ter ten le la du dos das y".split())
# Capitalised, with lower-case letters (so "HR" and "IBM" are not names); inner
# capitals are allowed for O'Neill, McAllister and Marie-Claire.
# Latin Extended-A too: "Aydın", "Łukasz", "Dvořák", "Ștefan".
_NAME_WORD = re.compile(
    r"^(?=[A-ZÀ-ÖØ-ÞĀ-ſȘȚ])(?![a-zß-ÿ])(?=.*[a-zß-ÿ])[A-Za-zÀ-ÖØ-öø-ÿĀ-ſȘ-ț'’-]*\.?$"
)
_DISPLAY_SUFFIX = re.compile(r"\s*(?:\(.*?\)|\[.*?\]|\s(?:via|from|at|@|\||-|–|,)\s.*)$", re.I)


@lru_cache(maxsize=4096)
def person_name(display: str, email: str = "") -> str | None:
    """The display name if it names a person ("Grace O'Neill (Recruiting)" -> "Grace O'Neill")."""
    name = display.strip().strip("\"'")
    for _ in range(2):
        name = _DISPLAY_SUFFIX.sub("", name).strip()
    if not name or "@" in name or any(ch.isdigit() for ch in name):
        return None
    if "," in name:  # "Doe, Jane"
        last, _, first = name.partition(",")
        if not first.strip() or not last.strip():
            return None
        name = f"{first.strip()} {last.strip()}"
    words = name.split()
    if not 1 <= len(words) <= 4 or _ORG_WORDS.search(name.replace("&", " & ")):
        return None
    if ORG_NAME_WORDS.search(name):
        return None
    if not all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words):
        return None
    if len(words) > 1 and _FIRM_WORD.fullmatch(words[-1].rstrip(".")):
        return None
    if len(words) == 1:
        # A lone word is as often a company ("Flip") as a first name; trust it
        # only when the mailbox is named after it.
        local = email.partition("@")[0].lower()
        if not local or not local.startswith(words[0].lower()):
            return None
    return name


# Job boards, career networks and public or university portals: they send in their own
# name for the employer that decided ("Acme has reviewed your application"), so their
# name is never the company.  Broad general knowledge across the countries debriefer's
# languages are spoken in, compared squashed (lower case, letters and digits only) with
# a sender's display name and mail domain.
JOB_PLATFORMS = (
    # International and US
    "LinkedIn",
    "LinkedIn Jobs",
    "Indeed",
    "Indeed Apply",
    "Indeed Flex",
    "Glassdoor",
    "ZipRecruiter",
    "Monster",
    "CareerBuilder",
    "SimplyHired",
    "Snagajob",
    "Dice",
    "Hired",
    "Handshake",
    "RippleMatch",
    "Wellfound",
    "AngelList",
    "AngelList Talent",
    "Otta",
    "Welcome to the Jungle",
    "Built In",
    "BuiltIn",
    "Jobright",
    "Jooble",
    "Adzuna",
    "Talent.com",
    "Neuvoo",
    "Idealist",
    "USAJobs",
    "Upwork",
    "Fiverr",
    "Toptal",
    "Remote OK",
    "RemoteOK",
    "We Work Remotely",
    "FlexJobs",
    "Working Nomads",
    "Remotive",
    "Jobgether",
    "Himalayas",
    "Levels.fyi",
    "Wayup",
    "WayUp",
    "Symplicity",
    "College Recruiter",
    "Idealist Careers",
    "HigherEdJobs",
    "Chronicle Vitae",
    "Inside Higher Ed Careers",
    "Jobs.ac.uk",
    "EURAXESS",
    "Academic Positions",
    "AcademicTransfer",
    "Nature Careers",
    "Science Careers",
    "ResearchGate Jobs",
    "Academic Jobs Online",
    "MathJobs",
    "Interfolio",
    "Jobteaser",
    "JobTeaser",
    "Joblist",
    "Jobcase",
    "Lensa",
    "Ladders",
    "TheLadders",
    "Getwork",
    "Talentify",
    "Hirect",
    "Jobsora",
    "Careerjet",
    "Jobrapido",
    "Trovit",
    "Mitula",
    "Jora",
    "Seek",
    "Workopolis",
    "Eluta",
    "Job Bank",
    "Andela",
    "Braintrust",
    "Triplebyte",
    "Vettery",
    "Underdog.io",
    "Whitetruffle",
    "Talent Garden",
    "Jobbio",
    "Honeypot",
    "Landing.jobs",
    "Relocate.me",
    "Arbeitnow",
    "Otta Jobs",
    # United Kingdom and Ireland
    "Totaljobs",
    "Reed",
    "Reed.co.uk",
    "CV-Library",
    "CV Library",
    "Guardian Jobs",
    "NHS Jobs",
    "Trac Jobs",
    "Civil Service Jobs",
    "Teaching Vacancies",
    "Tes Jobs",
    "Milkround",
    "Bright Network",
    "Gradcracker",
    "TARGETjobs",
    "Target Jobs",
    "Escape the City",
    "Charity Job",
    "CharityJob",
    "Jobsite",
    "Caterer.com",
    "CWJobs",
    "s1jobs",
    "IrishJobs",
    "IrishJobs.ie",
    "Jobs.ie",
    "Publicjobs",
    "GradIreland",
    "Find a job",
    "Universal Jobmatch",
    "Student Job",
    "StudentJob",
    "Inspiring Interns",
    # Germany, Austria, Switzerland
    "StepStone",
    "XING",
    "Jobware",
    "Arbeitsagentur",
    "Bundesagentur für Arbeit",
    "Jobbörse",
    "Jobbörse der Bundesagentur für Arbeit",
    "Interamt",
    "karriere.at",
    "jobs.ch",
    "jobup.ch",
    "JobScout24",
    "jobs.de",
    "Monster.de",
    "Stellenanzeigen.de",
    "Meinestadt",
    "meinestadt.de",
    "Kimeta",
    "Jobvector",
    "Absolventa",
    "Staufenbiel",
    "Talents Connect",
    "Get in IT",
    "GULP",
    "freelancermap",
    "Experteer",
    "Yourfirm",
    "Jobninja",
    "Jobrapido.de",
    "AMS alle jobs",
    "willhaben Jobs",
    "derStandard Karriere",
    "Hokify",
    "Instaffo",
    "Honeypot.io",
    "Stellenwerk",
    "academics.de",
    "Zeit Jobs",
    "Bund.de",
    "service.bund.de",
    "Jobs Bayern",
    "Workwise",
    "Truffls",
    "Jobmensa",
    "Studitemps",
    "Heyjobs",
    "HeyJobs",
    "Joblift",
    "Jobufo",
    "Karrierestart",
    # France and Belgium (fr)
    "APEC",
    "France Travail",
    "Pôle emploi",
    "Pole emploi",
    "HelloWork",
    "RegionsJob",
    "Cadremploi",
    "Indeed.fr",
    "La bonne alternance",
    "Les emplois de l'inclusion",
    "Plateforme de l'inclusion",
    "Choisir le service public",
    "Place de l'emploi public",
    "Welcome to the Jungle",
    "Meteojob",
    "Keljob",
    "Monster.fr",
    "Jobijoba",
    "L'Etudiant",
    "Studyrama Emploi",
    "Hellowork Group",
    "Jobteaser",
    "1jeune1solution",
    "1 jeune 1 solution",
    "Emploi Store",
    "Emploi Public",
    "Talent.io",
    "Free-Work",
    "Free Work",
    "Chooseyourboss",
    "Staffme",
    "StaffMe",
    "StudentPop",
    "Qapa",
    "Mistertemp",
    "Jobijoba.com",
    "Actiris",
    "Le Forem",
    "VDAB",
    "Jobat",
    "StepStone.be",
    "References.be",
    "Jobsregions",
    "Jobs.lu",
    "Moovijob",
    # Spain and Latin America (es)
    "InfoJobs",
    "Tecnoempleo",
    "Empléate",
    "Emplea",
    "Computrabajo",
    "InfoEmpleo",
    "Trabajos.com",
    "Jobandtalent",
    "Job and Talent",
    "Primer Empleo",
    "Turijobs",
    "Domestika Jobs",
    "Bumeran",
    "ZonaJobs",
    "Laborum",
    "Trabajando.com",
    "OCC Mundial",
    "Opcion Empleo",
    "Multitrabajos",
    "Aptitus",
    "Indeed.es",
    "SEPE",
    "Empleo Público",
    "Portal Empleo",
    "Buscojobs",
    "Elempleo",
    "El Empleo",
    "Chiletrabajos",
    # Netherlands and Flanders (nl)
    "Nationale Vacaturebank",
    "Werk.nl",
    "Werkzoeken.nl",
    "Werkzoeken",
    "Open Hiring",
    "Intermediair",
    "Monsterboard",
    "Jobbird",
    "Studentjob.nl",
    "YoungCapital",
    "Werken bij",
    "Werkenvoornederland",
    "Werken voor Nederland",
    "Jobnet",
    "Magnet.me",
    "Nationale Beroepengids",
    "Indeed.nl",
    "UWV",
    "Academictransfer",
    "Jobdigger",
    "Vacature.com",
    "Jobat.be",
    # Italy (it)
    "InfoJobs.it",
    "Subito Lavoro",
    "Indeed.it",
    "Monster.it",
    "Bakeca Lavoro",
    "Jobrapido.it",
    "Kijiji Lavoro",
    "Trovolavoro",
    "Cliclavoro",
    "Lavoro.gov",
    "InPA",
    "Portale InPA",
    "AlmaLaurea",
    "Jobmetoo",
    "Joblink",
    "Randstad Jobs",
    "Talent Garden",
    "Lavoratorio",
    "Euspert",
    "Job in Tourism",
    "Corriere Lavoro",
    # Portugal and Brazil (pt)
    "Net-Empregos",
    "Sapo Emprego",
    "Emprego.pt",
    "Alerta Emprego",
    "Expresso Emprego",
    "Indeed.pt",
    "IEFP",
    "Carga de Trabalhos",
    "ITJobs",
    "itjobs.pt",
    "Landing Jobs",
    "Catho",
    "Gupy",
    "Vagas.com",
    "InfoJobs.com.br",
    "Trabalha Brasil",
    "Empregos.com.br",
    "Banco Nacional de Empregos",
    "Solides Vagas",
    "Kenoby",
    "99jobs",
    "Cia de Talentos",
    "CIEE",
    "Emprega Brasil",
    "Jobbol",
    "Vagas Online",
    "Programathor",
    # Nordic and other European boards
    "Jobindex",
    "Arbetsförmedlingen",
    "Platsbanken",
    "Finn.no",
    "Oikotie",
    "Duunitori",
    "TE-palvelut",
    "Jobnet.dk",
    "Pracuj.pl",
    "Pracuj",
    "Praca.pl",
    "OLX Praca",
    "Profesia",
    "Jobs.cz",
    "Prace.cz",
    "Karriere.no",
    "Blocket Jobb",
    "Work in Estonia",
    "CV.ee",
    "CV.lv",
    "CV Online",
    "EURES",
    "EU Careers",
    "EPSO",
    # Asia-Pacific boards a European candidate may meet
    "Naukri",
    "Foundit",
    "Internshala",
    "JobStreet",
    "JobsDB",
    "Kalibrr",
    "Wantedly",
    "Jobkorea",
    "Bayt",
    "GulfTalent",
    "Seek.com.au",
    "Trade Me Jobs",
)
_PLATFORM_KEYS = frozenset(
    "".join(
        ch for ch in _unicodedata.normalize("NFKD", name).lower() if ch.isalnum() and ch.isascii()
    )
    for name in JOB_PLATFORMS
)
# What a platform adds to its name in a display name: "RippleMatch Notifications",
# "LinkedIn Job Alerts", "Teaching Vacancies team", "Indeed Apply".
_PLATFORM_EXTRA = re.compile(
    r"(?:\s+(?:notifications?|alerts?|job\s+alerts?|jobs?|team|updates?|messages?|messaging"
    r"|apply|support|service|no-?reply|noreply|candidates?|candidats?|bewerber|talent|careers?"
    r"|info|mail(?:er)?|news|redaktion|équipe|equipo|equipa|team))+$",
    re.I,
)
# A portal of its own applications, named "<University>Apply" or "<Firm>Careers" in one word:
# "TUMApply", "UniApply".
_APPLY_PORTAL = re.compile(r"^[A-Z][\w-]*(?-i:Apply)$")


# All but ASCII letters and digits, for str.translate to drop.
_NOT_ASCII_ALNUM = dict.fromkeys(i for i in range(128) if not chr(i).isalnum())


def _platform_key(value: str) -> str:
    """Lower case, ASCII letters and digits only.  NFKD changes no ASCII text, and after
    it no other character lower-cases to an ASCII one, so the rest can go first."""
    if not value.isascii():
        value = _unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return value.lower().translate(_NOT_ASCII_ALNUM)


def is_job_platform(name: str) -> bool:
    """Whether a display name, or a mail domain's name part, is a job board's or portal's:
    "LinkedIn", "RippleMatch Notifications", "La bonne alternance", "TUMApply"."""
    name = name.strip().strip("\"'")
    if not name:
        return False
    if _APPLY_PORTAL.match(name):
        return True
    bare = _PLATFORM_EXTRA.sub("", name)
    key = _platform_key(bare)
    return bool(key) and (
        key in _PLATFORM_KEYS or (bare != name and _platform_key(name) in _PLATFORM_KEYS)
    )

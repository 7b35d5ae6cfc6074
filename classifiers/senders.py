"""Who sent it: people, no-reply robots and applicant-tracking systems."""

from __future__ import annotations

import re
from functools import lru_cache

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
_ATS_DOMAIN = re.compile(
    r"(?:^|\.)(?:"
    + "|".join(re.escape(n) for n in sorted(ATS_NAMES, key=len, reverse=True))
    + r")(?:[.-]|$)",
    re.IGNORECASE,
)
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
    r"|bonjour|hola|beste|hoi|thanks|regards|grüße|groet)(?![\w-])",
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

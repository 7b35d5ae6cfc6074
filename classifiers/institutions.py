"""An institution's full name, standing alone on a line of a signature ("Université de la
Côte d'Opale", "Instituto de Ciencias del Mar de Levante", "East Hollow Hospitals NHS
Trust") or in a sentence about the post applied for ("aan de Rijksuniversiteit Veendam").

Universities, research institutes, hospitals and public bodies sign with their whole
name on the signature's last line, and the name mixes capitals with particles ("de la",
"dell'", "für") that a firm's name rarely has, so the readings built for firms stop
short of it or miss it.  A line is such a name when one of its words is an
institution's kind and all the others are capitalised words, acronyms or the particles
that join them.  A unit inside an institution ("Dipartimento di Ingegneria", "School of
Engineering", "Laboratorio de Circuitos") is not the employer, and is not read; nor is a
farewell, an address or a help page with a kind in it ("Saludos desde la Universidad de
Sevilla", "12 University Avenue", "Privacy Center"), nor the applicant's own school.
"""

from __future__ import annotations

import re

from .roles import has_role_head
from .text import MONTH_NAMES

# The kind of institution a name is built around, in the seven languages.
_KINDS = frozenset(
    """
    university universities college academy institute institution centre center hospital
    hospitals trust council ministry authority foundation museum library observatory school
    polytechnic
    universität hochschule fachhochschule institut zentrum klinikum krankenhaus klinik
    ministerium bundesamt landesamt behörde stiftung akademie museum schule gymnasium
    université institut centre hôpital chu mairie ministère fondation académie école lycée
    collège musée bibliothèque observatoire
    universidad instituto centro hospital ayuntamiento ministerio fundación academia escuela
    colegio museo biblioteca consejo
    università politecnico istituto centro ospedale azienda asl asst ausl comune ministero
    fondazione accademia scuola liceo museo biblioteca consiglio
    universidade instituto centro hospital câmara prefeitura ministério fundação academia
    escola colégio museu biblioteca
    universiteit rijksuniversiteit hogeschool instituut centrum ziekenhuis gemeente ministerie
    stichting academie school museum bibliotheek provincie
    """.split()
)
# The end of a compound that names a kind: "Forschungszentrum", "Rijksuniversiteit",
# "Universitätsklinikum", "Bundesministerium".
_KIND_ENDINGS = (
    "universität",
    "universiteit",
    "hochschule",
    "zentrum",
    "klinikum",
    "krankenhaus",
    "ministerium",
    "institut",
    "instituut",
    "akademie",
    "ziekenhuis",
)
# Kinds that, with "of" after them, name a unit inside a university: "School of
# Engineering", "College of Arts" ("Institute of Physics" stays: it often is the body).
_UNIT_OF = re.compile(r"^(?:school|college|faculty|department)\s+of\b", re.I)
# A government department is the employer itself: "Department for Education".
_GOVERNMENT = re.compile(r"^department\s+for\s", re.I)
# Words that join a name's capitalised words.
_PARTICLES = frozenset(
    """
    of for the and & de la le les des du d' l' el del y e en em do da dos das di della
    dell' degli delle dei in per für der die das und van voor het te op
    """.split()
)
# A unit's or a team's words, on a line that names no employer: "Human Resources
# Centre", "Centro de Selección", "Talent Acquisition".
_NOT_THE_EMPLOYER = re.compile(
    r"(?i:recruit|talent|human resources|ressources humaines|recursos humanos|risorse umane"
    r"|personal|personeel|selecci|sélection|selezione|seleção|\bhr\b|\brh\b|\bteam\b"
    r"|careers?\b|karriere|departamento|dipartimento|département|department(?!\s+for\s)"
    r"|abteilung|afdeling|lehrstuhl|laborator|labor\b|servizio|service|servicio|serviço"
    r"|grupo|gruppo|groupe|arbeitsgruppe|onderzoeksgroep|research group)"
)
# Words of a line that is no name even with an institution's kind in it: a farewell
# ("Saludos desde la Universidad de Sevilla"), an address ("12 University Avenue", "Via
# dell'Ospedale 12"), a help page ("Candidate Care Center", "Privacy Center").
_NOT_A_NAME = frozenset(
    """
    regards greetings wishes saludos saluti groeten grüße grüßen cordialement salutations
    cumprimentos desde from avenue street road lane rue via am straße strasse calle rua
    avenida laan straat weg plein help privacy candidate candidates support contact customer
    call service services career careers visit
    """.split()
)
_LEADING_ARTICLE = re.compile(r"^(?:the\s+|l['’](?=\w))", re.I)
_ELIDED = re.compile(r"^(?:d|l|dell|all|nell|sull)['’](?=\w)", re.I)
# Where a line's parts meet: "School of Life Sciences, Eastmere University",
# "Dipartimento di Fisica – Università dell'Adriatico", "Employer: Northmoor Trust".
_SEGMENTS = re.compile(r"\s+[|–—/·•-]\s+|[,:]\s+")
# A run of a name's words in running text: capitalised words and the particles between.
_RUN = re.compile(
    r"(?:(?:l|d|dell)['’])?[A-ZÀ-Þ][\w'’&-]*"
    r"(?:\s+(?:(?:of|for|the|and|&|de|la|du|des|d['’]|del|y|e|en|em|do|da|dos|das|di|della"
    r"|dell['’]|degli|delle|für|der|und|van|voor|het)\s+)*(?:[dl]['’]|dell['’])?[A-ZÀ-Þ][\w'’&-]*)*"
)
# Words of a sentence about the post applied for, before the institution it names:
# "applying to the Department for …", "je sollicitatie … aan de Rijksuniversiteit".
_ABOUT_THE_POST = re.compile(
    r"(?i:appl(?:y|ied|ying|ication)|vacanc|position|post\b|role\b|sollicit|bewerb|candidat"
    r"|postul|plaza|vacature|functie|stelle|poste|posizione|vaga|selezion|concurso|concorso"
    r"|convocatoria|procedure|procédure|procedimento|proceso|processo|phd|doctor|dottor)"
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_LOOK_BACK = 300
# Seasons and months, which no institution's name holds.
_TIME_WORDS = (
    frozenset(
        "spring summer autumn fall winter sommer herbst frühling frühjahr été hiver printemps"
        " automne verano invierno primavera otoño zomer winter lente herfst estate inverno"
        " autunno verão outono".split()
    )
    | MONTH_NAMES
)
_MAX_WORDS = 9
_MAX_LOWER = 2  # "Centre de recherche Armor", "Instituto de investigación X"


def institution_name(line: str) -> str | None:
    """``line`` itself, tidied, when it is an institution's whole name; else None."""
    value = _LEADING_ARTICLE.sub("", " ".join(line.split()).strip(" .,;:"))
    words = value.split()
    if not 2 <= len(words) <= _MAX_WORDS or _UNIT_OF.match(value):
        return None
    if _NOT_THE_EMPLOYER.search(value) or words[0][:1].isdigit():
        return None
    if any(word.lower().strip(",.") in _NOT_A_NAME for word in words):
        return None
    first_kind = 0 if _GOVERNMENT.match(value) else None
    lower = 0
    for index, word in enumerate(words):
        if word.lower() in _PARTICLES:
            if index in (0, len(words) - 1):
                return None  # a name begins and ends with a name's word
            continue
        bare = _ELIDED.sub("", word).strip("(),")
        if not bare or not (bare[0].isupper() or bare[0].isdigit()):
            lower += 1
            if lower > _MAX_LOWER or index in (0, len(words) - 1):
                return None
            continue
        if first_kind is None and _is_kind(bare) and bare.lower() != "department":
            first_kind = index
    if first_kind is None:
        return None
    # "Head of School", "Hospital Pharmacist": a post at the institution, not its name
    if has_role_head(" ".join(words[:first_kind])) or has_role_head(words[-1]):
        return None
    return value


def signing_institution(lines: list[str]) -> str | None:
    """The last institution a mail's closing lines name, a whole line or a whole part of
    one ("School of Life Sciences, Eastmere University")."""
    for line in reversed(lines):
        for part in reversed(_SEGMENTS.split(line)):
            name = institution_name(part)
            if name:
                return name
    return None


def institutions_named(text: str) -> list[str]:
    """The institutions running text names in full: "applying to the Department for
    Local Housing and Communities", "aan de Rijksuniversiteit Veendam"."""
    found = []
    for run in _RUN.finditer(text):
        words = run.group().split()
        kind = next((i for i, word in enumerate(words) if _is_kind(word)), None)
        if kind is None:
            continue
        before = text[text.rfind("\n", 0, run.start()) + 1 : run.start()][-_LOOK_BACK:]
        if not _ABOUT_THE_POST.search(_SENTENCE_END.split(before)[-1]):
            continue  # "Your degree from the University of Leeds": not where the job is
        start = kind  # the name begins at its kind or at the capitals right before it
        while start > 0 and words[start - 1].lower() not in _PARTICLES:
            start -= 1
        if start == kind and has_role_head(" ".join(words[:kind])):
            continue  # "Head of School Smith"
        end = next((i for i in range(kind + 1, len(words)) if _ends_name(words[i])), len(words))
        name = institution_name(" ".join(words[start:end]))
        if name:
            found.append(name)
    return found


def _ends_name(word: str) -> bool:
    """A word a Title Case subject runs on into after a name: "… Authority Summer 2024
    Internship", "… Hospital Staff Nurse"."""
    key = word.lower()
    return key in _TIME_WORDS or has_role_head(word)


def _is_kind(word: str) -> bool:
    bare = _ELIDED.sub("", word).strip("(),").lower()
    return bare in _KINDS or bare.endswith(_KIND_ENDINGS) or bare == "department"

"""Company, job title and the person to write to, for the templates.

Every field is a vote among candidates from the sender's name, the subject,
the body and the signature; a field nobody agrees on stays None rather than
becoming a guess the user would have to correct in a draft.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from . import spans
from .institutions import institutions_named, signing_institution
from .lexicon import COMPANY, TITLE_ANY, Lexicon, PhraseIndex, alternation
from .message import Address, MailView
from .names import is_first_name
from .places import is_known_place, is_place
from .roles import has_role_head, names_job
from .scoring import Text
from .senders import (
    ATS_NAMES,
    ORG_NAME_WORDS,
    ROLE_WORDS,
    SHARED_PROVIDERS,
    is_ats_domain,
    is_job_platform,
    is_writable_contact,
    person_name,
)
from .text import MONTH_NAMES
from .verdict import Extraction

_SIGNATURE_SEGMENTS = re.compile(r"\s+[|–—/·•-]\s+|,\s*|\s{2,}|\t")
_NON_ALNUM = re.compile(r"[\W_]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|die|der|la|le|el|de)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SIGNATURE_LINES = 25

_ORG_DISPLAY = (
    re.compile(
        r"^(?:the )?(?:recruiting|recruitment|talent|hiring|careers?|people|hr)"
        r"(?: acquisition)?(?: team)? (?:at|@|bei|chez|de|en|bij|van) (?P<c>.+)$",
        re.I,
    ),
    re.compile(r"^(?:workday|careers?|jobs|recruiting)\s*@\s*(?P<c>.+)$", re.I),
    re.compile(r"^(?P<c>.+?)\s*@\s*(?:icims|workday|greenhouse|lever|smartrecruiters).*$", re.I),
    re.compile(
        r"^(?:the )?(?P<c>.+?)\s*[-|,]?\s+(?:recruiting|recruitment|careers?|talent(?: acquisition)?"
        r"|hiring|hr|jobs|people|human resources|karriere|recrutement|reclutamiento|werving"
        r"|personalabteilung|global hr)(?: team| group| department| workday)?$",
        re.I,
    ),
)
# Legal forms, which a draft leaves out ("Acme" for Acme GmbH, Acme S.r.l., Acme Ltda.).
_LEGAL_SUFFIX = re.compile(
    r"[\s,]+(?:inc|llc|llp|lp|ltd|ltda|limited|gmbh|ggmbh|ag|bv|b\.v|nv|n\.v|sa|s\.a|sas|sasu"
    r"|sarl|s\.a\.r\.l|sl|s\.l|slu|s\.l\.u|srl|s\.r\.l|spa|s\.p\.a|plc|pbc|corp|corporation|co"
    r"|se|kg|kgaa|oy|ab|aps|bvba|vof|sp\.?\s*z\s*o\.?\s*o|gmbh\s*&\s*co\.?\s*kg"
    # an Italian farm's or cooperative's form, a Portuguese one-owner firm's
    r"|lda|società\s+(?:agricola|cooperativa)|soc\.?\s*coop|unipessoal)\.?$",
    re.I,
)
_GENERIC = frozenset(
    "us we our you your the team our team this role the role the company company position hiring team talent team recruiting team careers hr applicant candidate application dear hi hello thank thanks unfortunately".split()
) | {"our team", "the team", "the company", "this role", "the position", "our company"}
_TITLE_NOISE = (
    # Gender markers: (m/w/d), (H/F), (f/m/x), (w/m/div.), (gn), (all genders), "- m/f/d".
    re.compile(
        r"\s*\(\s*(?:[mwfdhxvk]|div\.?|gn|nb)(?:\s*/\s*(?:[mwfdhxvk]|div\.?|gn|nb))+\s*\)"
        r"|\s*\((?:all genders?|gn|alle geschlechter|tous genres)\)"
        r"|\s*[-–,]?\s+(?<![\w/])[mwfdhxv](?:/[mwfdhxv]){1,3}(?![\w/])",
        re.I,
    ),
    re.compile(
        r"\s*\(?(?:job|req(?:uisition)?)[.-]?\s*(?:id|no\.?|number|#)?\s*:?\s*[\w-]*\d[\w-]*\)?",
        re.I,
    ),
    re.compile(r"\s*[-–#(]\s*(?:[A-Z]{1,4}-?\d{3,}|\d{5,})[A-Z]*\)?\s*$"),
)
_TITLE_TRAILING = frozenset(
    # and what a number leaves behind: "Assegno di ricerca n.", "Istruttore Tecnico cat."
    "n nr num núm cat rif nel nella nei nelle al alla ai dal dalla sul sulla nas nos"
    " de en et y e und and of for in im van voor het der la le el des du del di da - – & / +"
    " für bei pour à a para per at with em na no op bij or oder ou here hier aquí ici qui"
    # where it is, once the place is cut: "Ingénieur Méthodes basé (à Lyon)"; not English
    # "based", which ends titles too ("Care Assistant Home Based")
    " basé basée situé située"
    # the sentence going on with "already": "Técnico/a de Farmácia já preenchida"
    " já ya già déjà bereits".split()
)
_TITLE_STOP = re.compile(r"^(?:Our|Your|The|This|That|We|You|Job|Position|Role|Application)$")


# A field is filled when its best candidate's confidence reaches this; below it the
# draft gets None: a wrong name in a draft is worse than none.
FILL_AT = 0.6
# A value's sureness from one unopposed mention in the body: worth the tagger's judgement.
WEAK_AT = 0.4


def extract(
    view: MailView,
    text: Text,
    lex: Lexicon,
    fallback: Lexicon,
    users: frozenset[str],
    language: str | None = None,
    *,
    learned: bool = True,
) -> Extraction:
    """Template context; ``text`` is the subject, a newline, then the body; ``language``
    the mail's, where it has no lexicon of its own (Italian, Portuguese).  ``learned``
    False leaves the span tagger out: what the rules alone say, which the tagger reads."""
    signature = _signature(view.body, lex)
    subject = " ".join(view.subject.split())
    if subject != view.subject:  # a folded header: "Intern  - Summer 2027"
        text = Text(f"{subject}\n{view.body}")
    colon = ":in" in text.original and _GENDER_COLON.search(text.original)
    if colon:  # "Projektleiter:in Hochbau": the colon stays inside the title's word
        text = Text(_GENDER_COLON.sub(_COLON_LETTER, text.original))
    found = _scan_extractors(text, len(subject), lex, fallback, language)
    if colon:
        found = {k: [(v.replace(_COLON_LETTER, ":"), w) for v, w in c] for k, c in found.items()}
    sender = view.sender
    display = _display_company(sender.name, sender.email) if sender else ("", 0.0)
    company, company_sure = _company(view, found["company"], signature, text.original, display)
    contact_name, contact_email, contact_sure = _contact(view, signature, users, company)
    if (
        contact_name
        and company
        and _squash(contact_name) in _squash(company)
        and not _owner_of(contact_name, company)
    ):
        contact_name, contact_sure = None, 0.0  # "Lumen Freight <no-reply@...>": a firm
    known = company if company and company_sure >= FILL_AT else None
    firms = _firms(view, company, display[0])
    by_subject = found["title"] + _reference_titles(view.body, firms, known)
    title, title_sure = _title(subject, by_subject, firms, known, found["title_late"])
    if title:
        title = _tidy_title(title, firms) or None
    if title and company and _squash(company) in _squash(title) and len(title.split()) <= 2:
        title, title_sure = None, 0.0  # "the Oracle role", "HP Inc": the company, not a role
    tagged: dict[str, spans.Reading] = {}
    ruled_company = company
    if learned:
        rules = {
            spans.TITLE: title if title_sure >= FILL_AT else None,
            spans.COMPANY: company if company_sure >= FILL_AT else None,
        }
        # A firm the mail names once, unopposed, is short of the fill point on the
        # rules' count alone: the tagger's word on it decides.  (Titles the rules are
        # unsure of were as often cut short or run on, so only firms.)
        weak = company if WEAK_AT <= company_sure < FILL_AT else None
        tagged = spans.find(view, language or lex.code, rules, {spans.COMPANY: weak})
        ruled_title = rules[spans.TITLE]
        if ruled_title and (
            _quoted_whole(ruled_title, text.original) or _subject_part_whole(ruled_title, subject)
        ):
            title = ruled_title  # quotes or the subject's dashes mark where it begins and ends
        else:
            ruled_sure = title_sure
            title, title_sure = _decide(
                ruled_title, title_sure, tagged[spans.TITLE], _clean_title, TITLE_TRUST
            )
            if (
                ruled_title
                and title != ruled_title
                and (not names_job(title or "") or _head_alone(title or "", ruled_title))
            ):
                # "Year 4" for "Year 4 class teacher": a reading without the occupation
                # is no title, whatever the tagger's sureness; nor is "teacher" alone.
                title, title_sure = ruled_title, ruled_sure
            if not ruled_title and title and _signer_s_post(title, subject, view.body, signature):
                title, title_sure = None, 0.0  # "Direttore Commerciale" under the signer's name
        ruled_company = rules[spans.COMPANY]
        company, company_sure = _decide(
            ruled_company, company_sure, tagged[spans.COMPANY], _clean_company, COMPANY_TRUST
        )
        if weak and company and _inside(company, weak):
            company = weak  # "Logistics" of "Fennimore Logistics": the tagger cut it short
        if weak and company_sure < FILL_AT:
            company, company_sure = _judged_weak(weak, tagged[spans.COMPANY], company, company_sure)
        if company and company.lower() in _KIN_WORDS:
            company, company_sure = None, 0.0  # "Hijos" of "Hernández e Hijos": a piece
    if title:
        title = _tidy_title(title, _firms(view, company, display[0])) or None
    if company:
        company = _tidy_company(company, text.original) or None
    if company:
        company = _written_whole(company, text.original)
    via = _VIA_SENDER.match(sender.name.strip()) if sender else None
    if company and via and _squash(company) == _squash(via.group("by")):
        company = _clean_company(via.group("firm")) or None  # not "Greenleafhire" of "… via"
    if company and _squash(company) in _ATS_FIRMS and view.body:
        # "Personio Recruiting" writing for the firm its footer registers; with no such
        # footer the tracking system may be the employer itself ("Workday").
        company = _registered_name(view.body) or company
    domain = _domain_label(sender.domain) if sender else ""  # "yext" of recruitment.yext.com
    agency = bool(domain) and bool(_AGENCY.search(_squash(domain)) or _AGENCY_WORD.search(domain))
    # or by its words: "notre client a souhaité …", "the client has decided"
    agency = agency or _writes_for_client(view.body)
    dropped = ""
    if company and (_agency_like(company) or (agency and _squash(company) in _squash(domain))):
        # the agency or board, not the employer it writes for
        company, company_sure, dropped, agency = None, 0.0, _squash(company), True
    elif ruled_company and _agency_like(ruled_company):
        dropped, agency = _squash(ruled_company), True  # the tagger's veto left a stub of it
    if agency and company_sure < FILL_AT and learned:
        own = (dropped, _squash(domain), _squash(sender.name) if sender else "")
        client = _client(found["company"], tagged[spans.COMPANY], text.original, own)
        if client[0]:
            company, company_sure = client
    if learned and company_sure < FILL_AT and not agency and contact_name and sender:
        # After the tagger, which reads the rules' own firm: the firm signing under its
        # writer's name, where neither found one.
        signed = _signed_firm(view.body, contact_name, sender)
        if signed:
            company, company_sure = signed, FILL_AT
    if company and company_sure < FILL_AT and _vouched_company(company, view):
        company_sure = FILL_AT
    if company_sure < FILL_AT and view.body:
        registered = _registered_name(view.body)
        if registered:
            company, company_sure = registered, FILL_AT
    return Extraction(
        company=company if company_sure >= FILL_AT else None,
        job_title=title if title_sure >= FILL_AT else None,
        contact_name=contact_name if contact_sure >= FILL_AT else None,
        contact_email=contact_email,
        familiar=_familiar(view.body, language or lex.code),
        company_confidence=round(company_sure, 3),
        job_title_confidence=round(title_sure, 3),
        contact_name_confidence=round(contact_sure, 3),
    )


# A subject's parts: "Acme - Data Analyst - update", "Serveur – Brasserie du Quai : réponse".
_SUBJECT_PARTS = re.compile(r"\s+[-–—|:]\s+|\s*:\s+")
# A requisition code before the title: "ACA-2291 Lecturer", "REQ 5521 Analyst".
_LEAD_CODE = re.compile(r"^(?:ref\.?:?\s*)?[A-Z]{2,6}[-\s]?\d{2,}[A-Z]?\s+")
# Where a title stops inside a sentence: "Business Analyst au sein de notre département".
_TITLE_STOPS_AT = re.compile(
    r"\s+(?:au sein|within|innerhalb|dentro|binnen|all'interno)\b.*$"
    # where the firm keeps it: "ux researcher in our Copenhagen office", "in unserem Team"
    r"|\s+(?:in|at|for|with|across|on)\s+our\b.*$"
    r"|\s+(?:in\s+unsere[mnrs]?|bei\s+uns|dans\s+not(?:re|s)|pour\s+not(?:re|s)"
    r"|en\s+nuestr[oa]s?|para\s+nuestr[oa]s?|nel(?:la)?\s+nostr[oa]|per\s+(?:il|la)\s+nostr[oa]"
    r"|in\s+onze?|bij\s+ons|voor\s+onze?|n[oa]s?\s+noss[oa]s?|em\s+noss[oa]s?)\b.*$"
    # the employer after the post: "technicien voirie de la commune de Saint-Aubin",
    # "Sachbearbeiter der Stadtverwaltung Lindau", "administrativo del Ayuntamiento de Lora"
    # (a town's offices only: "du département informatique" is a team of the post)
    r"|\s+(?:(?:de\s+la|du|de|della|del|der|des|do|da|van\s+de|van\s+het)\s+|(?:de\s+l|dell)['’]\s*)"
    r"(?i:commune|ville|mairie|municipalité|métropole|comune|città|ayuntamiento|municipio"
    r"|municipalidad|diputación|câmara|prefeitura|município|gemeente|stadt|gemeinde"
    r"|stadtverwaltung|kreisverwaltung)\b.*$"
    # a research project's name after the post: "contrato predoctoral proyecto MARINA",
    # but not the project a title is about: "chef de projet IT"
    r"|(?<!\sde)(?<!\sdi)(?<!\sdo)(?<!\sda)(?<!\sdu)(?<!\sdel)"
    r"\s+(?-i:proyecto|projet|progetto|projeto|projekt)\s+(?-i:[A-Z]).*$"
)


# A German or Dutch adjective before the noun of a title: "pädagogische Fachkraft",
# "wissenschaftlicher Mitarbeiter", "leitende Oberärztin", "medisch Secretaresse"; by
# the adjective's own endings, since "sollicitatie" or "entretien" end in "e" too.
_ADJECTIVE_END = re.compile(
    r"(?:isch|lich|ig|iek|al|ell|iv|är|haft|bar|sam|end)(?:e|er|es|en|em)?$"
)


# An unsolicited application, which names no post: "spontanea inviata al nostro Studio",
# "Data Engineer (spontaneous application)".
_UNSOLICITED = re.compile(
    r"\s*[(,–-]?\s*(?i:(?:application|candidature|candidatura|bewerbung|sollicitatie|solicitud"
    r"|postulación)\s+)?(?i:\b(?:spontane[aoe]?|spontaneous|spontan[ée]e?|espont[aâ]ne[ao]"
    r"|unsolicited|initiativ(?:bewerbung)?)\b).*$"
)


def _tidy_title(value: str, firms: frozenset[str]) -> str:
    """The title alone, whichever reading found it: without the firm before or after it
    ("Pinecart - Product Designer", "Serveur – Brasserie du Quai"), without the subject's
    word about the mail ("- retour", "- notificação"), without a code before it, and
    without the words a sentence goes on with ("au sein").  A phrase that starts with an
    article is a sentence's, not a title ("la prueba técnica")."""
    value = _UNSOLICITED.sub("", value)
    if not value.split() or value.split()[0] in _ARTICLES:
        return ""  # "la prueba técnica", "spontanea inviata al nostro Studio"
    bounds = [0, *(i for m in _SUBJECT_PARTS.finditer(value) for i in m.span()), len(value)]
    parts = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    while len(parts) > 1 and _squash(value[slice(*parts[0])]) in firms:
        parts = parts[1:]
    while len(parts) > 1 and _not_title_part(value[slice(*parts[-1])], firms):
        parts = parts[:-1]
    value = value[parts[0][0] : parts[-1][1]]
    value = _drop_firm_tail(_TITLE_STOPS_AT.sub("", value), firms)
    tail = _FIRM_TAIL.search(value)
    if tail and has_role_head(value[: tail.start()]) and _names_a_firm(tail.group("f"), firms):
        value = value[: tail.start()]  # "Analista de Riesgos en Banco Alcántara"
    at = _AT_FIRM.search(value)
    if at and names_job(value[: at.start()]) and not names_job(at.group("f")):
        value = value[: at.start()]  # "Frontend Developer na Ondalima": where, not what
    bare = _LEAD_CODE.sub("", value)
    if bare != value and has_role_head(bare):
        value = bare
    words = value.split()
    while len(words) > 1 and (
        words[-1].lower() in _POSSESSIVES or words[-1].lower().strip(",") in _TITLE_TRAILING
    ):
        words.pop()  # "Ingenieurin Netzplanung Strom und Ihr": the sentence goes on
    value = " ".join(words)
    lower_lead = 0
    while lower_lead < len(words) - 1 and words[lower_lead].islower():
        lower_lead += 1
    adjective = lower_lead > 0 and bool(_ADJECTIVE_END.search(words[lower_lead - 1]))
    if 0 < lower_lead < len(words) and words[lower_lead][:1].isupper() and not adjective:
        rest = " ".join(words[lower_lead:])
        if has_role_head(rest) and not has_role_head(" ".join(words[:lower_lead])):
            value = rest  # "eindgesprek Filiaalmanager": the interview, then the job
    return value.strip(" -–,:")


# What an institution's name begins with, before the place or the subject it is named
# after: "University of Ashbury", "Stadt Lindenfels", "Comune di Valdoria".
_INSTITUTION = (
    r"(?:(?:the\s+)?(?:university|city|county|borough|council|hospital|institute|museum)"
    r"(?:\s+of)?|(?:technische\s+)?universität|stadt|gemeinde|landkreis|hochschule|klinikum"
    r"|universit[ée]\s+(?:de\s+|d['’])?|ville\s+(?:de\s+|d['’])|hôpital|centre\s+hospitalier"
    r"(?:\s+universitaire)?(?:\s+de)?|universidad(?:\s+de)?|ayuntamiento\s+de|hospital"
    r"|universit[àa](?:\s+degli\s+studi)?(?:\s+(?:di|del|della|dell['’]))?|comune\s+di"
    r"|ospedale|universidade(?:\s+federal)?(?:\s+(?:de|do|da))?|câmara\s+municipal\s+de"
    r"|prefeitura(?:\s+municipal)?\s+de|(?:rijks)?universiteit(?:\s+van)?|gemeente"
    r"|hogeschool|ziekenhuis|bank\s+of|banco|banca|caja|caixa)"
)
# A display name's note that nobody reads the mailbox: "Hospital San Telmo - No responder".
_NO_REPLY_NOTE = re.compile(
    r"\s*[-–|(]\s*(?:no[- ]?reply|do not reply|no responder|no contestar|não responder"
    r"|nao responder|ne pas répondre|nicht antworten|niet beantwoorden|non rispondere)\)?$",
    re.I,
)
# The unit that wrote, after the firm: "CHU de Valmont - DRH", "St Aldric's Academy Office",
# "ASL Valdarno - UOC Gestione Risorse Umane".
_UNIT_AFTER = re.compile(
    r"(?:\s+[-–|]\s+(?:\S+\s+){0,3}(?:drh|rh|hr|rrhh|p&o|personal\w*|personnel|personeel"
    r"|personale|pessoal|recrutement|recruiting|reclutamento|recrutamento|reclutamiento"
    r"|portale|portal"
    r"|recruitment|selección|selezione|seleção|werving|risorse umane|recursos humanos"
    r"|ressources humaines|human resources|personeelszaken))$",
    re.I,
)
# "Office St Aidan's", the school office writing before its school's name.
_OFFICE_BEFORE = re.compile(r"^(?:school\s+)?office\s+(?=(?-i:[A-Z]))", re.I)
# "St Aldric's Academy Office"; not "Home Office" or "Post Office", which are names.
_OFFICE_AFTER = re.compile(r"\s+(?:hr\s+)?(?:office|secretariat)$", re.I)


def _without_unit(value: str) -> str:
    """The firm without the unit that wrote after it."""
    value = _UNIT_AFTER.sub("", value).strip()
    shorter = _OFFICE_BEFORE.sub("", _OFFICE_AFTER.sub("", value))
    return shorter if len(shorter.split()) >= 2 else value


# Words a reading takes for a firm that name none: a mailbox's, a particle's.
_NO_FIRM = frozenset(
    "info contact admin office mail team da de di do du la le el il ufficio bureau oficina büro"
    " kantoor escritório secretaria sekretariat secretariaat secrétariat service servicio"
    " servizio serviço personal personale personeel recruiting recrutement conseil consulting"
    " partners group groupe gruppe grupo".split()
)
# Human resources or a selection committee before the firm: "RR. HH. Hotel Marlín Playa",
# "RH Acme", "Sollicitatiecommissie Het Baken College".
_HR_BEFORE = re.compile(
    r"^(?:rr\.?\s?hh\.?|rrhh|hr|rh|p&o|p&c|sollicitatiecommissie|selectiecommissie"
    r"|(?:selection|search|hiring) committee|comisión de selección|comité de sélection"
    r"|commissione(?: giudicatrice| di selezione)?|auswahlkommission|berufungskommission"
    r"|comissão de seleção)\s+(?=\S)",
    re.I,
)


# The street a signature's firm line goes on with: "CHU de Valmont - Avenue des Tilleuls".
_STREET_PART = re.compile(
    r"\s+[-–—|·]\s+(?i:avenue|av\.|rue|boulevard|bd\.?|chemin|street|road|lane|straße|strasse"
    r"|str\.|weg|platz|allee|calle|avenida|plaza|paseo|via|viale|piazza|corso|rua|travessa"
    r"|largo|praça|laan|straat|plein|kade|gracht)\b.*$"
)


def _tidy_company(value: str, text: str) -> str:
    """The company's name as the mail writes it in full: "University of Ashbury" where a
    reading found "Ashbury"; without a mailbox's note or a department before it; and the
    institution, not the department ("Lehrstuhl für Hydrologie" of the "Universität
    Saalheim"), or none."""
    value = _HR_BEFORE.sub("", _NO_REPLY_NOTE.sub("", value)).strip()
    value = _without_unit(value)
    if value.lower() in _NO_FIRM:
        return ""
    if not value or len(value) > 60:
        return value
    head = text[:4000]
    if _DEPARTMENT.match(value):
        institution = _NAMED_INSTITUTION.search(head)
        if institution:
            return " ".join(institution.group().split())
        return value if len(value.split()) > 1 else ""  # "Service" alone names nobody
    for start in _occurrences(value, head):
        before = _INSTITUTION_BEFORE.search(head, max(0, start - 60), start)
        if before:
            found = " ".join(head[before.start() : start + len(value)].split())
            return found[4:] if found.lower().startswith("the ") else found
        devoted = _DEVOTED_AFTER.match(head, start + len(value))
        if _ENDS_IN_INSTITUTION.search(value) and devoted:
            # "Halvard Institute for Molecular Medicine"
            return " ".join(head[start : devoted.end()].split())
    return value


# The words that follow a name on its line: capitalised, and no abbreviation.
# Not a legal form's letters: "S" of "S.r.l.", "B" of "B.V.".
_NAME_TAIL = re.compile(r"(?:[ \t]+(?:&[ \t]+)?[A-ZÀ-Þ][\w'’&-]*(?!\w|\.\w))+")
_MAX_TAIL = 3
# Words after a firm's name that name a unit of it, whatever stands between: "Acme Data
# Team", "Acme Human Resources", "Acme Legal Department".
_UNIT_WORDS = frozenset(
    """
    team teams department dept office recruiting recruitment talent people hr rh rrhh
    human resources legal personal personeel personeelszaken menselijke middelen
    abteilung personalabteilung équipe equipo equipe squadra afdeling
    """.split()
)
# Capitalised words after a firm's name that are not more of it: the mail's subject,
# the job ("Carrow Mutual Application Update").
_NOT_NAME_WORDS = frozenset(
    """
    application applications update status decision outcome feedback interview offer
    position role job jobs vacancy vacancies opening careers career
    hiring candidate candidates assessment centre center onlus via
    program programme graduate internship summer winter spring autumn fall group
    bewerbung absage rückmeldung stelle karriere candidature réponse poste offre candidatura
    respuesta puesto oferta sollicitatie reactie vacature functie selezione posizione
    resposta vaga processo proceso
    """.split()
)


def _written_whole(value: str, text: str) -> str:
    """The firm's whole name when the mail never writes the short one alone: "Riverbend
    Literacy" read from the sender's address is "Riverbend Literacy Alliance" in every
    line that names it.  The words the occurrences share, no further."""
    if len(value) > 60:
        return value
    shared: list[str] | None = None
    for start in _occurrences(value, text):
        tail = _NAME_TAIL.match(text, start + len(value))
        words = tail.group().split()[: _MAX_TAIL + 2] if tail else []
        kept = []
        for index, word in enumerate(words):
            if word == "&" and index + 1 < len(words):
                kept.append(word)  # "Hollis & Grey": the partners' names are one name
                continue
            bare = word.strip("'’&-")
            if bare.lower() in _UNIT_WORDS:
                kept = []  # "the Acme Data Team", "Acme Human Resources": a unit of it
                break
            if (
                len(bare) < 3
                or bare.lower() in _NOT_NAME_WORDS
                or _LEGAL_SUFFIX.search(" " + bare)
                or _LEGAL_SUFFIX.fullmatch(" " + " ".join(words[index : index + 2]))
                or has_role_head(" ".join(words[index:]), strong=True)  # "Data Analyst"
                or is_first_name(bare)
                or bare.lower() in MONTH_NAMES
            ):
                break
            kept.append(word)
        kept = kept[:_MAX_TAIL]
        while kept and kept[-1] == "&":
            kept.pop()
        if not kept:
            return value  # written alone here: the short name is the mail's own
        shared = kept if shared is None else _common_start(shared, kept)
        if not shared:
            return value
    return f"{value} {' '.join(shared)}" if shared else value


def _common_start(a: list[str], b: list[str]) -> list[str]:
    common = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common.append(x)
    return common


def _occurrences(value: str, text: str) -> Iterator[int]:
    """Where ``value`` stands in ``text`` as whole words: a search the patterns need not
    be compiled for, one value after another."""
    start = text.find(value)
    while start >= 0:
        end = start + len(value)
        if (start == 0 or not _WORD_CHAR.match(text, start - 1)) and not _WORD_CHAR.match(
            text, end
        ):
            yield start
        start = text.find(value, start + 1)


# What an institute or a centre is for: "… Institute for Molecular Medicine", "… Institut
# für Polarforschung", "… Centro de Investigación Marina".
_ENDS_IN_INSTITUTION = re.compile(
    r"(?i:institute|institut|instituto|istituto|centre|center|centro|zentrum|foundation"
    r"|stiftung|fundación|fondazione|council|academy|akademie)$"
)
_DEVOTED_AFTER = re.compile(
    r"\x20(?:for|of|für|de|di|per|voor|do|da)(?:\x20(?:the|la|el|il|der|des|du|del|della|het))?"
    r"(?:\x20(?-i:[A-ZÀ-Þ])[\w'’-]+|\x20(?:and|und|et|y|e|en|&)){1,5}"
)
_WORD_CHAR = re.compile(r"[\w-]")


def _vouched_company(value: str, view: MailView) -> bool:
    """A company a reading was unsure of that the mail vouches for otherwise: an
    institution by its full name ("Universidad de Marbella"), or a name the sender's
    domain spells word by word ("Mistral Assurances" at assurances-mistral.example)."""
    words = value.split()
    if len(words) >= 2 and _NAMED_INSTITUTION.fullmatch(value):
        return True
    sender = view.sender
    if not sender or is_ats_domain(sender.domain) or _CLIENT.search(view.body):
        return False  # an agency's own domain spells the agency, not its client
    domain = _squash(".".join(sender.domain.split(".")[:-1]))
    stems = [_squash(w)[:5] for w in words if len(_squash(w)) >= 4]
    capitalised = [w for w in words if w[:1].isupper()]
    return len(stems) >= 2 and len(stems) == len(capitalised) and all(s in domain for s in stems)


# A department or an office, which names the unit that wrote and not the employer.
_DEPARTMENT = re.compile(
    r"^(?i:lehrstuhl|fakultät|abteilung|sekretariat|école doctorale|service|servicio|servizio"
    r"|serviço|bureau|direction|département|dipartimento|departamento|department|faculty"
    r"|facultad|facoltà|faculdade|faculteit|afdeling|vakgroep|secretariaat|secrétariat"
    r"|secretaría|segreteria|dpto|dept)\b"
)
# An institution's first words right before a name: "University of " before "Ashbury".
_INSTITUTION_BEFORE = re.compile(rf"(?<![\w-])(?i:{_INSTITUTION})\s*$")
# An institution named in the text: "Universität Saalheim", "University of Garonne".
_NAMED_INSTITUTION = re.compile(
    rf"(?<![\w-])(?i:{_INSTITUTION})\s*"
    r"(?-i:[A-ZÀ-Þ])[\w'’-]+(?:\x20(?-i:[A-ZÀ-Þ])[\w'’-]+){0,2}"
)


# A firm's registered name alone on a line of the mail's end, or before a footer's address
# or a registry line: "Pinecrest Distribution Ltd", "Veltra Analytics Inc. | 400 Harbor
# Way", "© 2026 Altmark Energie SE".
_REGISTERED_LINE = re.compile(
    r"^(?:(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?)?(?P<name>(?-i:[A-ZÀ-Þ])[\w&'’.-]*"
    r"(?:\s+[\w&'’.-]+){0,4}?)[\s,]+(?:inc|llc|ltd|limited|gmbh(?:\s*&\s*co\.?\s*kg)?|ag|se"
    r"|b\.?v|n\.?v|s\.?a\.?s?|s\.?l\.?u?|s\.?r\.?l|s\.?p\.?a|lda|ltda|plc|sarl|kg|eg|e\.?\s?v"
    r"|oy|ab|aps)\.?(?:\s*(?:[|,·–—-]\s.*)?)$",
    re.I,
)


# Words in the names of agencies and search firms that _AGENCY's squashed stems miss.
_AGENCY_NAME = re.compile(
    r"(?i:search(?!metrics)|select|hunt|talent|staff(?!ord)|personaldienst|personalservice"
    r"|\bflex(?:pro|werk|work|job|staff|interim|people|force)"
    r"|\bett\b|jobs?\b|emploi|empleo|lavoro|vagas|vacatures)"
)


# A word of a firm's name its sender's mailbox or display name also spells.
_NAME_WORD = re.compile(r"[^\W\d_]{4,}")
# The small words inside a firm's name: "Casa de Fados", "Hendry & Sons".
_NAME_LINKS = frozenset(
    "& and und et e y en de du des da do dos das di del della van von der den het of la le el"
    " al alla alle allo ai zum zur am im an aux au".split()
)
# A site, a region or a label a team's line names instead of a firm: "HR | Region Nord".
_SITE_WORDS = frozenset(
    """
    standort region regio région región regione região siège sede zentrale headquarters hq
    confidential vertraulich confidentiel confidencial riservato internal intern interne
    interno nord north norte sud süd south sul sur ost east west ouest oeste ovest zuid noord
    oost filiale branch vestiging sucursal filial agence division divisione
    """.split()
)


def _firm_marked(line: str) -> bool:
    """Whether a line says it names a firm: "&", a kin word, a legal form, a trade."""
    words = {w.lower().strip(",.") for w in line.split()}
    return (
        "&" in line
        or bool(words & _KIN_WORDS)
        or bool(_REGISTERED_LINE.match(line))
        or bool(_SHOP.search(line.split(",")[0]))
        or bool(ORG_NAME_WORDS.search(line))
        or _practice(line.split(",")[0].strip())
    )


def _signed_firm(body: str, signer: str, sender: Address) -> str | None:
    """The firm's own line under its signer's name (and post) at the mail's end, when
    something vouches for it: "Margaret Hendry\nHendry & Sons Joinery" at hendryandsons,
    "Ana Ruiz\nReclutamiento · Tlacuache Logística".  Not a department, a place, a job,
    an agency, a site or a label, and not a line that names two things."""
    tail = [line.strip() for line in body.strip().splitlines()[-_SIGNATURE_LINES:]]
    tail = [line for line in tail if line]
    first = signer.split()[0]
    at = next(
        (
            i
            for i in range(len(tail) - 1, -1, -1)
            if (signer in tail[i] and len(tail[i]) < 60) or tail[i].strip(" ,.") == first
        ),
        None,
    )
    if at is None:
        return None
    for line in tail[at + 1 : at + 4]:
        if _is_role_line(line) or _HR_TEAM_LINE.fullmatch(line):
            continue  # "Senior Recruiter", "People & Culture"
        if any(c.isdigit() for c in line) or _EMAIL.search(line) or "www." in line:
            return None  # an address, a number: the signature's firm line was not there
        segments = [part for part in _SIGNATURE_SEGMENTS.split(line) if part]
        teams = [part for part in segments if _HR_TEAM_LINE.fullmatch(part)]
        parts = {
            _clean_company(part)
            for part in segments
            if part not in teams and not _is_role_line(part)
        } - {""}
        if len(parts) != 1:
            return None
        value = parts.pop()
        words = value.split()
        if (
            len(words) > 6
            or not all(w[:1].isupper() or w.lower() in _NAME_LINKS for w in words)
            or not value[0].isupper()
            or has_role_head(value)
            or (len(words) == 1 and names_job(value))  # "Notaire" under the notary's name
            or is_place(value)
            or _DEPARTMENT.match(value)
            or _agency_like(value)
            or any(w.lower() in _SITE_WORDS for w in words)
        ):
            return None  # "Connect with Jenna on LinkedIn", "Region Nord", "Confidential"
        # What vouches: a recruiting team's segment on the line ("People Team, Cardumen"),
        # the sender's own domain, or a word of the display name other than the signer's
        # given name ("Jenna Hart" does not vouch for "Jenna's Calendar"; a family firm's
        # surname does).
        given = _squash(first)
        domain = _domain_label(sender.domain)
        by_domain = "" if domain in SHARED_PROVIDERS else _squash(domain)
        by_name = "".join(_squash(w) for w in sender.name.split() if _squash(w) != given)
        spelled = [_squash(w) for w in _NAME_WORD.findall(value)]
        by_surname = any(w in by_name for w in spelled if w != given)
        vouched = (
            teams
            or any(w in by_domain for w in spelled)
            # a surname alone vouches for a firm's name only ("Hendry & Sons Joinery"),
            # never for a slogan ("Kowalski Family Recipes Since Forever")
            or (by_surname and _firm_marked(line))
        )
        return value if vouched else None
    return None


def _registered_name(body: str) -> str | None:
    """The one firm a mail's end names with its legal form, when no reading found a
    company: a signature or a footer says who wrote.  Not an agency's or a job board's,
    which write for someone else, and not when two firms are named."""
    if _CLIENT.search(body):
        return None  # an agency writing for its client
    names = set()
    for line in body.strip().splitlines()[-_SIGNATURE_LINES:]:
        found = _REGISTERED_LINE.match(line.strip())
        if not found:
            continue
        name = _clean_company(found.group("name"))
        # the raw name: "Recruitment" is cleaned off
        if not name or _agency_like(found.group("name")) or is_job_platform(name):
            return None
        names.add(name)
    return names.pop() if len(names) == 1 else None


# "At" an employer by its capitalised name, ending a title: "Developer at Brightpath",
# "Koch bei Gasthof Adler", "Serveur chez Lumière", "Frontend Developer na Ondalima".
# Not "en", "in" or "em", which as often lead a field ("Ingeniero en Sistemas").
_AT_FIRM = re.compile(
    r"\s+(?:at|bei|chez|bij|presso|na|no|@)\s+(?P<f>(?-i:[A-ZÀ-Þ][\w&'’.-]*)"
    r"(?:\s+(?-i:[A-ZÀ-Þ&][\w&'’.-]*)){0,3})$"
)


def _names_a_firm(words: str, firms: frozenset[str]) -> bool:
    """Words after "at", "en", "na" that name an employer: an organisation's word or a
    legal form in them ("Banco Alcántara", "Grupo Olivares"), or a firm's name the mail
    spells elsewhere ("Ondalima" at ondalima.example)."""
    if has_role_head(words):
        return False
    first = _squash(words.split()[0]) if words.split() else ""
    return bool(ORG_NAME_WORDS.search(words) or _LEGAL_SUFFIX.search(words)) or (
        len(first) >= 4 and any(first in firm for firm in firms)
    )


# Words a subject says about the mail after the title: "Analyst - update", "- retour".
_ABOUT_THE_MAIL = re.compile(
    r"(?i:update|status|feedback|outcome|decision|notification|retour|réponse|décision"
    r"|suite|absage|rückmeldung|entscheidung|respuesta|resultado|decisión|notificación"
    r"|aggiornamento|esito|riscontro|notifica|resposta|notificação|decisão|retorno"
    r"|terugkoppeling|reactie|uitslag|besluit|afwijzing|rejection|rejet|refus|rechazo"
    r"|rifiuto|rejeição|recusa|unsuccessful"
    # the stage the mail is about: "- assessment", "– etapa de painel", "- second interview"
    r"|assessment|etapa|fase|phase|ronda|round|interview|entrevista|entretien|gesprek"
    r"|colloquio|vorstellungsgespräch"
    # a post that will not be filled: "- Cancelada", "– annulé", "- withdrawn"
    r"|cancell?ed|cancelad[ao]|anulad[ao]|annulée?|annullat[ao]|cancelamento|geannuleerd"
    r"|abgesagt|storniert|withdrawn|retirée?|ritirat[ao])\b"
)
# A workplace after the title: "Negozio di Torino", "Brasserie du Quai", "Hospital de X".
_WORKPLACE = re.compile(
    rf"^(?:{ORG_NAME_WORDS.pattern})\s+(?:di|du|de|del|della|des|van|von|of|da|do)\b"
)


# Lower-case articles a title never starts with, and possessives a title's part never does.
_ARTICLES = frozenset(
    "the a an la le les el los las il lo gli un une una uno um uma o os as de het een die der"
    " das".split()
)
_POSSESSIVES = frozenset(
    "our your notre votre nos vos unser unsere ihr ihre nuestro nuestra su il nostro la nostra"
    " o nosso a nossa onze uw".split()
)


def _not_title_part(part: str, firms: frozenset[str]) -> bool:
    """A subject's part after the title that is no part of it: the firm, a workplace, a
    place, the subject's word about the mail, or the mail's own words ("notre client")."""
    words = part.lower().split()
    if words and (words[0] in _POSSESSIVES or " ".join(words[:2]) in _POSSESSIVES):
        return True
    if has_role_head(part):
        return False
    return _squash(part) in firms or _aside(part)


def _aside(part: str) -> bool:
    """A subject's part that says something beside the job: the mail's subject, a
    reference, a workplace or a shop, the procedure, or a place."""
    return (
        bool(_ABOUT_THE_MAIL.match(part) or _REFERENCE_PART.match(part))
        or bool(_WORKPLACE.match(part) or _BRANCH.match(part))
        or _procedure_only(part)
        or is_place(part)
    )


def _procedure_only(part: str) -> bool:
    """A subject's part of procedure words alone: "- Bolsa de empleo", "- Concorso"."""
    words = part.lower().split()
    return bool(words) and all(w in _PROCEDURE_WORDS or w in _PROCEDURE_LINKS for w in words)


# A shop or a branch by its name after the title: "- Loja Centro", "- Tienda Gran Vía 32",
# "- Filiale Nordstadt", "- Agence de Rennes"; English "Store" is left out, since a team
# goes by it too ("Data Scientist - Store Inventory").
_BRANCH = re.compile(
    r"^(?i:loja|tienda|negozio|punto\s+vendita|filiale|filial|magasin|agence|agência|agencia"
    r"|sucursal|winkel|vestiging|markt|supermercado|supermarché|supermercato|hipermercado"
    r"|hypermarché|kita|kindergarten|crèche|guardería|creche|kinderdagverblijf|asilo\s+nido)"
    r"\s+(?:(?i:de|di|du|da|do|del|della|van|in)\s+)?[A-ZÀ-Þ0-9]"
)


@dataclass(frozen=True, slots=True)
class Trust:
    """When the span tagger's reading of a field is believed, on its own sureness scale.

    Chosen on the dev corpora and the two first invented sets together, never on a
    blind set (``benchmarks/extraction_blind2.toml`` and later): the points at which a
    filled field was right most often without losing the ones the rules alone found.
    """

    rules_kept: float  # the rules' value stands while the tagger gives it at least this
    over_rules: float  # where the tagger reads another value, it needs this much to win
    alone: float  # a value only the tagger sees needs this much
    # ... or this much, when the occupation list names a job in it: "Planning Officer"
    # but not "Regulatory Affairs" (chosen on the steering sets, blind-1, -2, -3, -6)
    alone_named: float = 1.0
    # Whether a reading inside the rules' value keeps it: a title's rules are bounded by
    # their phrase and the tagger doubts only an edge word; a firm's rules run on into
    # teams and names ("Group Resourcing", "Lisa de Graaf - Brugwerk") the tagger cuts.
    inside: bool = False


TITLE_TRUST = Trust(rules_kept=0.2, over_rules=0.9, alone=0.95, alone_named=0.9, inside=True)
COMPANY_TRUST = Trust(rules_kept=0.1, over_rules=0.99, alone=0.9)


# An agency's mail names its client in words of its own, which the tagger reads more
# surely than the rules: from this sureness on, its reading is the employer (chosen on
# the steering sets, blind-1, -2, -3, -6).
CLIENT_AT = 0.75
# The rules' firm other than the agency is its client from a single mention in the body.
CLIENT_NAMED_AT = 0.45


def _client(
    found: list[tuple[str, float]], reading: spans.Reading, text: str, own: tuple[str, ...]
) -> tuple[str | None, float]:
    """The employer an agency writes for: the rules' firm that is neither an agency nor
    the agency's own name (``own``: its name, its domain, its sender's name), else the
    tagger's reading, as the mail writes the name ("Brasserie du" is "Brasserie du Quai")."""

    def client(value: str) -> bool:
        squashed = _squash(value)
        return bool(squashed) and not _agency_like(value) and not any(squashed in o for o in own)

    best, score, total = _vote((v, w) for v, w in found if client(v))
    if best and (sureness := _sureness(score, total, _COMPANY_SCALE)) >= CLIENT_NAMED_AT:
        return best, max(sureness, FILL_AT)  # the one other firm an agency's mail names
    read = reading.best
    value = _clean_company(_whole_name(read.value, text)) if read else ""
    if not read or not value or read.sureness < CLIENT_AT or not client(value):
        return None, 0.0
    return value, _on_fill_scale(read.sureness, CLIENT_AT)


# An agency's word hyphenated to its name in its domain's label: harbourline-talent,
# search-nord; not a firm's own careers site (amazon.jobs, talent.acme.com).
_AGENCY_WORD = re.compile(
    r"^(?:talent|search|staff|hiring|select)-|-(?:talent|search|staff|hiring|select|rh)$"
)


def _agency_like(value: str) -> bool:
    return bool(_AGENCY.search(_squash(value)) or _AGENCY_NAME.search(value))


# The rest of a capitalised name on its line: "Livraria Sebo" + " Paulista".
_NAME_GOES_ON = re.compile(
    r"(?:[ \t]+(?:(?:du|de|del|della|di|da|do|dos|das|van|von|der|des|&)[ \t]+)?"
    r"(?-i:[A-ZÀ-Þ](?:[\w&'’-]|\.(?=\w))*)){1,3}"
)


def _whole_name(value: str, text: str) -> str:
    """``value`` as the body first writes it as whole words, with the capitalised words
    that go on, unless they go on into a job or a team ("Orsolo Data Analyst Role")."""
    body = text.find("\n") + 1  # a Title Case subject goes on into anything
    start = next(_occurrences(value, text[body:]), -1)
    if start < 0:
        return value
    more = _NAME_GOES_ON.match(text, body + start + len(value))
    whole = value + more.group() if more else value
    return value if names_job(whole) or not _clean_company(whole) else whole


def _head_alone(reading: str, ruled: str) -> bool:
    """Whether a reading is the last word of the rules' longer title: its head without
    the words before it that make it this job ("class teacher", "Lead Engineer")."""
    words = ruled.lower().split()
    return len(words) > 1 and reading.strip().lower() == words[-1]


def _subject_part_whole(value: str, subject: str) -> bool:
    """Whether a part of the subject between its dashes, bars or colons is exactly this
    title: "Feedback following interview - Security Operations Analyst"."""
    parts = _SUBJECT_PARTS.split(_REPLY_PREFIX.sub("", subject))
    return len(parts) > 1 and any(part.strip() == value for part in parts)


def _quoted_whole(value: str, text: str) -> bool:
    """Whether the mail puts exactly this title in quotes: 'Werkvoorbereider Bouw'."""
    start = text.find(value)
    while start >= 0:
        after = start + len(value)
        quoted = start > 0 and after < len(text) and text[start - 1] in _QUOTE_OPEN
        if quoted and text[after] in _QUOTE_CLOSE:
            return True
        start = text.find(value, start + 1)
    return False


def _decide(
    ruled: str | None,
    ruled_sure: float,
    reading: spans.Reading,
    clean: Callable[[str], str],
    trust: Trust,
) -> tuple[str | None, float]:
    """The rules' value and the tagger's reading, made one: value and sureness.

    Where both read the same value it is filled.  Where they differ, the rules' value
    stands unless the tagger thinks nothing of it, and the tagger's own value needs to
    be nearly sure: on mail nobody tuned the rules to, that is where both were wrong.
    The sureness is put on the scale where ``FILL_AT`` is the point a field is filled.
    """
    best = reading.best
    value = clean(best.value) if best else ""
    if ruled and best and _stops_mid_phrase(best.value):
        return ruled, ruled_sure  # "Key Account Manager,", "Addetto/a al": no rival reading
    if ruled and (not value or _same_name(ruled, value)):
        return ruled, max(ruled_sure, best.sureness if best else 0.0)
    if ruled and best and best.sureness < trust.over_rules and _runs_on(value, ruled):
        return ruled, ruled_sure  # "Data Engineer Intern - New": the rules' value run on
    if (
        trust.inside
        and ruled
        and best
        and best.sureness < trust.over_rules
        and names_job(value)
        and _inside(value, ruled)
    ):
        # "Technical Artist" of "Lead Technical Artist": the tagger doubts an edge of the
        # rules' value, not the value, and is not sure enough to cut it
        return ruled, ruled_sure
    if ruled and reading.rules and reading.rules.sureness >= trust.rules_kept:
        return ruled, ruled_sure
    if not best or not value:
        return None, min(ruled_sure, FILL_AT - 0.01)  # how near the rules came, if at all
    if ruled:
        return value, _on_fill_scale(best.sureness, trust.over_rules)
    named = trust.alone_named < 1.0 and names_job(value)
    return value, _on_fill_scale(best.sureness, trust.alone_named if named else trust.alone)


def _signer_s_post(value: str, subject: str, body: str, signature: list[str]) -> bool:
    """Whether the tagger's title is only the signer's own post: written in the
    signature's lines and nowhere else, not in the subject."""
    key = value.casefold()
    signed = sum(line.casefold().count(key) for line in signature)
    return bool(signed) and key not in subject.casefold() and body.casefold().count(key) <= signed


def _judged_weak(
    weak: str, reading: spans.Reading, value: str | None, sureness: float
) -> tuple[str | None, float]:
    """A firm the rules were unsure of, filled when the tagger gives it at least what
    keeps a sure one (``rules_kept``); else the value and sureness decided before."""
    judged = reading.weak
    if judged and judged.sureness >= COMPANY_TRUST.rules_kept:
        return weak, FILL_AT
    return value, sureness


_OPEN_ENDS = frozenset(",(-–/&:+")
_CONNECTORS = _TITLE_TRAILING | frozenset(
    "al del della dello do dos das da di du des der den zur zum"
    # an article, which a name's run never ends on: "Libreria Il" of "Libreria Il Gabbiano"
    " il lo gli los las les the die".split()
)


def _stops_mid_phrase(raw: str) -> bool:
    """Whether the tagger's run stops mid-phrase: on a connector or an open mark, or
    starts on one.  Such a run is no reading of a whole name, only of its start."""
    words = raw.split()
    if not words:
        return False
    return (
        raw[-1] in _OPEN_ENDS
        or raw[0] in _OPEN_ENDS
        or words[-1].lower() in _CONNECTORS
        or (len(words) > 1 and words[0].lower() in _CONNECTORS - {"de", "la", "le", "el"})
    )


def _runs_on(value: str, ruled: str) -> bool:
    """Whether ``value`` is the rules' words and then more that name no job: "Data
    Engineer Intern - New", but not "Data Engineering Manager" or "Nurse Practitioner"."""
    # words without their marks: "Data Scientist: Ads" runs on from "Data Scientist - Ads"
    words, head = _TITLE_WORDS.findall(value.lower()), _TITLE_WORDS.findall(ruled.lower())
    return (
        len(words) > len(head)
        and words[: len(head)] == head
        and not names_job(" ".join(_TITLE_WORDS.findall(value)[len(head) :]))
    )


_TITLE_WORDS = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _inside(value: str, ruled: str) -> bool:
    """Whether ``value``'s words stand in the rules' value, fewer of them, and the rules'
    other words are a title's: capitalised or joining ("Lead", "Data Analytics/ML"), not
    a sentence's ("Dein Case für …", "spontanea inviata al nostro …")."""
    words, whole = _TITLE_WORDS.findall(value.lower()), _TITLE_WORDS.findall(ruled.lower())
    written = _TITLE_WORDS.findall(ruled)
    if not 0 < len(words) < len(whole):
        return False
    for i in range(len(whole) - len(words) + 1):
        if whole[i : i + len(words)] == words:
            others = written[:i] + written[i + len(words) :]
            return all(_title_word(w) for w in others)
    return False


def _title_word(word: str) -> bool:
    if word.lower() in _OWNERS:
        return False
    return word.lower() in _CONNECTORS or word != word.lower() or word.isdigit()


# Possessives a subject's words may start with: "Dein Case für …".
_OWNERS = _POSSESSIVES | frozenset(
    "dein deine deinen my mein meine ton ta tes tu tus tuo tua je jouw".split()
)


def _same_name(a: str, b: str) -> bool:
    return _squash(_LEGAL_SUFFIX.sub("", a)) == _squash(_LEGAL_SUFFIX.sub("", b))


def _on_fill_scale(sureness: float, needed: float) -> float:
    """A sureness on the scale where ``needed`` becomes ``FILL_AT``, order kept."""
    if needed >= 1.0:
        return min(sureness, FILL_AT - 0.01)
    if sureness >= needed:
        return FILL_AT + (sureness - needed) * (1.0 - FILL_AT) / (1.0 - needed)
    return sureness * FILL_AT / needed


# The German gender colon, "Projektleiter:in", "Mitarbeiter:innen": while the title
# patterns read the text, a letter of the same length stands for it (U+02D0, a word
# character), so the word is not cut at the colon.
_GENDER_COLON = re.compile(r"(?<=[a-zäöüß]):(?=in(?:nen)?\b)")
_COLON_LETTER = "\u02d0"


# Words of the familiar and of the polite second person, by language; only words that
# mean nothing else count ("sie", "ihr", "lei" also mean she or her).
_ADDRESS = {
    "de": (
        frozenset("du dich dir dein deine deinen deinem deiner deines".split()),
        frozenset({"ihnen"}),
    ),
    "fr": (frozenset("tu te toi ton ta tes".split()), frozenset("vous votre vos".split())),
    "es": (frozenset("tú tu tus te contigo".split()), frozenset("usted ustedes".split())),
    "nl": (frozenset("je jij jou jouw".split()), frozenset("u uw".split())),
    "it": (frozenset("tu ti tuo tua tuoi tue".split()), frozenset("lei sua suo".split())),
    "pt": (
        frozenset("tu teu tua teus tuas contigo".split()),
        frozenset("você senhor senhora".split()),
    ),
}
_GREETING_WORDS = re.compile(r"[\w’'-]+")
_FAMILIAR_GREETING = re.compile(r"^\s*(?:hi|hey|hello|hiya)\b", re.I)


def _familiar(body: str, language: str) -> bool:
    """Whether the mail addresses the candidate familiarly, so the draft may too."""
    if language not in _ADDRESS:  # English: a first-name greeting is the familiar form
        return bool(_FAMILIAR_GREETING.match(body))
    familiar, polite = _ADDRESS[language]
    words = _GREETING_WORDS.findall(body[:3000].lower())
    informal = sum(map(familiar.__contains__, words))
    return informal > 0 and informal > sum(map(polite.__contains__, words))


def _firms(view: MailView, company: str | None, display: str) -> frozenset[str]:
    """How the mail names the firm, squashed: to tell a subject's firm from its title.
    ``display`` is the firm the sender's display name names (``_display_company``)."""
    names = {company or ""}
    sender = view.sender
    if sender:
        names.add(display)
        if not is_ats_domain(sender.domain):
            label = _domain_label(sender.domain)
            if label not in SHARED_PROVIDERS:
                names.add(label)
    return frozenset(k for k in map(_squash, names) if len(k) >= 2)


def _squash(value: str) -> str:
    return _ascii(value).lower().translate(_ASCII_NOT_ALNUM)


# What ``_squash`` drops of the ASCII text ``_ascii`` leaves: all but letters and digits
# (``_NON_ALNUM`` on ASCII, which str.translate applies many times faster to long text).
_ASCII_NOT_ALNUM = dict.fromkeys(i for i in range(128) if not chr(i).isalnum())


def _ascii(value: str) -> str:
    if value.isascii():  # most names: NFKD changes no ASCII text
        return value
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()


def _spells(value: str, squashed_domain: str) -> bool:
    """Whether a name and a mail domain label are the same words ("Solvéo Énergies", solveo-energies)."""
    name = _squash_for(squashed_domain, value)(value)
    return len(name) > 2 and (name in squashed_domain or squashed_domain in name)


# German letters as domains spell them: "Sternmühle" at sternmuehle.example.
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
_UMLAUT_LETTERS = re.compile("[äöüßÄÖÜ]")
_UMLAUT_SPELLING = re.compile("ae|oe|ue|ss")


def _squash_de(value: str) -> str:
    return _squash(value.translate(_UMLAUTS))


def _squash_for(squashed_domain: str, text: str):  # type: ignore[no-untyped-def]
    """How to squash ``text`` to compare it with a domain: umlauts spelled out when the
    domain may spell them ("ue") and the text has them."""
    if _UMLAUT_SPELLING.search(squashed_domain) and _UMLAUT_LETTERS.search(text):
        return _squash_de
    if "and" in squashed_domain and "&" in text:
        return _squash_ampersand  # "Hollis & Grey" at hollisandgrey
    return _squash


def _squash_ampersand(value: str) -> str:
    return _squash(value.replace("&", "and"))


# A sentence's stop and the space after it: split()[-1] is a line's last sentence.  The stop
# leads (not a lookbehind), so the regex engine skips ahead to it along a long footer.
_LAST_SENTENCE = re.compile(r"[.!?]\s+")
# Sign-offs of the languages without a lexicon of their own, and common ones of every
# language debriefer reads, so a signature is found whichever lexicon a mail got.
_SIGN_OFFS = re.compile(
    r"(?:(?:best|kind|warm|warmest)\s+)?regards|best(?: wishes)?|sincerely(?: yours)?|thanks"
    r"|thank you|cheers|all the best|cordiali saluti|distinti saluti|saluti|cordialmente"
    r"|un cordiale saluto|grazie|atenciosamente|atentamente|obrigad[oa]|abraços?|saudações"
    r"|um abraço|cumprimentos|melhores cumprimentos|saludos(?: cordiales)?|un saludo"
    r"|gracias|cordialement|bien (?:à vous|cordialement)|merci|mit freundlichen grüßen"
    r"|(?:viele|beste|liebe|freundliche) grüße|grüße|met vriendelijke groet(?:en)?"
    r"|(?:vriendelijke |hartelijke |beste )?groet(?:en|jes)?"
    # Warmer or shorter farewells, each language's: "Alles Gute", "Bonne continuation".
    r"|(?:with |many )?thanks(?: again)?|best of luck|good luck|take care|(?:kind|warm) wishes"
    r"|yours(?: sincerely| faithfully| truly)?|respectfully|talk soon|speak soon"
    r"|alles gute|alles liebe|bis bald|lg|vg|herzliche grüße|gruss|grüsse|freundliche grüsse"
    r"|bien à toi|à bientôt|belle journée|bonne (?:journée|continuation|chance)|amicalement"
    r"|sincères salutations|salutations|un abrazo|abrazos|mucha suerte|hasta pronto"
    r"|saludos cordiales|a presto|buona giornata|buona fortuna|in bocca al lupo|un saluto"
    r"|até breve|boa sorte|beijos?|abs|att|atte|veel succes|succes|hartelijke groet(?:en)?"
    r"|met hartelijke groet(?:en)?|tot ziens|fijne dag|groetjes"
    r"|com os (?:melhores|meus) cumprimentos"
    r"|cordiais cumprimentos|com estima|un caro saluto|cari saluti|muchos saludos"
    r"|reciba un (?:cordial )?saludo|le saluda atentamente"
    # greetings from a place: "Gruß aus Leer", "Herzliche Grüße von der Mosel", "Saludos
    # desde Sevilla", "Groeten uit Zwolle", "Saluti da Bergamo", "Greetings from Leeds"
    r"|(?:(?:viele|beste|liebe|herzliche|sonnige|freundliche)\s+)?(?:gruß|grüße|gruss|grüsse)"
    r"\s+(?:aus|von|vom)\s+[^,.!?]{2,30}|(?:warm\s+)?greetings\s+from\s+[^,.!?]{2,30}"
    r"|(?:un\s+)?saludos?\s+desde\s+[^,.!?]{2,30}|(?:hartelijke\s+)?groet(?:en|jes)?\s+uit"
    r"\s+[^,.!?]{2,30}|(?:cari\s+)?saluti\s+da\s+[^,.!?]{2,30}|(?:um\s+abraço|abraços)\s+de"
    r"\s+[^,.!?]{2,30}|(?:amicalement|bien\s+à\s+vous)\s+de\s+[^,.!?]{2,30}",
)


def _signature(body: str, lex: Lexicon) -> list[str]:
    """The lines after the last sign-off ("Best regards,") near the end; none without one."""
    lines = [line.strip() for line in body.split("\n")[-_SIGNATURE_LINES:]]
    sign_off = lex.pattern("sign_offs")
    for index in range(len(lines) - 1, -1, -1):
        # The sign-off alone on its line, or ending one: "... your interest. Thanks,"
        line = _LAST_SENTENCE.split(lines[index])[-1].rstrip(",!.").lower()
        if line and len(line) <= 40 and (sign_off.fullmatch(line) or _SIGN_OFFS.fullmatch(line)):
            return [s for s in lines[index + 1 :] if s and s != "--"][:6]
    return []


# How sure a contact is, by where the name came from.
_SURE_HEADER = 0.95  # a person's own From or Reply-To
_SURE_SIGNED = 0.85  # a full name signing, or a name above its job title
_SURE_CLOSING = 0.8  # a full name alone below the mail's last sentence, no farewell before it
_SURE_FIRST_NAME = 0.75  # a first name the mail vouches for twice

# Courtesy, academic and professional titles before a name, and degrees after it: a
# draft writes "Claudia Reuter" for "RAin Dr. Claudia Reuter" and "Jane Doe" for
# "Jane Doe, PhD".  One-letter ones only with their stop ("M. Dupont", "D. Luis").
_HONORIFICS = re.compile(
    r"^(?:(?:dr\.\s?(?:med\.\s?(?:dent|vet)|rer\.\s?(?:nat|pol|oec)|med|phil|jur|iur)|dr\.-ing|dipl\.-ing|dipl\.-kfm|univ\.-prof|priv\.-doz"
    r"|professor|professeur|profesora?|professore|professoressa|professora|doctora?"
    r"|dottore|dottoressa|doutora?|doktor|docteur|dr|dra|drs|dres|prof|profa|profª|pr|dott"
    r"|dott\.ssa|dr\.ssa|ing|ir|mag|rag|avv|geom|arch|lic|lcda|lcdo|eng|enga|sr|sra|srta"
    r"|dª|dña|doña|mme|mlle|mr|mrs|ms|mx|herr"
    r"|frau|dhr|mevr|sig|sig\.ra|ra|rain|pd|maître|maitre|padre|irmã|madre)\.?\s+"
    r"|[md]\.\s+)+",
    re.I,
)
_DEGREES = re.compile(
    r"(?:,\s*(?:ph\.?\s?d|mba|m\.?sc|b\.?sc|m\.?a|b\.?a|cpa|cipd|mcipd|chrp|shrm-s?cp|s?phr"
    r"|dphil|ll\.?m|m\.?d|j\.?d|esq|m\.?eng|dipl\.?-?\w*)\.?)+$|\s+ph\.?\s?d\.?$",
    re.I,
)
# Who signs for someone else.  A line that only says so is passed over ("Im Auftrag",
# "Pour le Maire et par délégation,", "on behalf of Prof. Brandstetter"); "i.A." before
# a name is the name signing for the firm ("i.A. Jürgen Pohlmann").
_ON_BEHALF_LINE = re.compile(
    r"(?:i\.\s?a\.|i\.\s?v\.|pp\.?|p\.\s?p\.|p\.\s?o\.|per pro"
    r"|p\.\s?d\.|por delegaci[oó]n|por orden|per delega|por ordem"
    r"|(?:im auftrag|on behalf|in vertretung|namens|em nome|en nombre|au nom|a nome|per conto)"
    r"\b.*|pour\b.{0,40}\b(?:délégation|ordre)|par délégation.*"
    # for the body that decided: "Per la Direzione", "Für die Geschäftsführung"
    r"|(?:per|pour|por|pela|pelo|für|for)\s+(?:la|le|il|el|a|o|die|den|das|the|de)\s+"
    r"(?:direzione|direction|dirección|direção|direcção|geschäftsführung|geschäftsleitung"
    r"|direktion|board|management|committee|comité|comitato|commissione|comisión|comissão"
    r"|kommission|selection\s+committee|search\s+committee|jury|giunta|junta)\b.*)[,:.]?",
    re.I,
)
# "Signed:" before the name: "Fdo.:", "gez.", "F.to", "Ass.:".
_SIGNING_FOR = re.compile(
    r"^(?:i\.\s?a\.|i\.\s?v\.|ppa?\.?|p\.\s?p\.|p\.\s?o\.|signed:?|firmado:?|fdo\.:?|gez\."
    r"|f\.to:?|firmato:?"
    r"|ass\.:?|assinado:?|getekend:?|w\.g\.)\s+",
    re.I,
)


def _plain_name(name: str) -> str:
    """The name without titles and degrees, unless that leaves only a surname: "Dr. Reuter"
    reads right in a draft, "Reuter" does not."""
    bare = _HONORIFICS.sub("", _DEGREES.sub("", name.strip())).strip()
    return bare if len(bare.split()) >= 2 else name.strip()


def _person_line(line: str, email: str = "") -> str | None:
    """A line of a signature that is a person's name, titles and degrees taken off."""
    line = _SIGNING_FOR.sub("", line.strip())
    head, comma, post = line.partition(", ")
    if (
        comma
        and len(head.split()) >= 2
        and (
            _is_role_line(post)
            or post.lower().strip(" .") in _POSTS_AFTER_NAME
            or bool(_HONORIFICS.match(post))  # "…, Docteur en pharmacie"
        )
    ):
        line = head  # "Odile Sarrazin, présidente", "Sophie Wauters, associée"
    bare = _HONORIFICS.sub("", _DEGREES.sub("", line)).strip()
    bare = _surname_in_capitals(_CALLED.sub(r"\g<given> ", bare))
    name = person_name(bare, email) if bare else None
    return name if _is_person(name) else None


# A signer's post after a comma that the role heads may not know: "…, associée".
_POSTS_AFTER_NAME = frozenset(
    """
    associée associé associate partner partnerin partnerin socia sócia socio sócio
    presidente présidente president präsidentin präsident voorzitter titulaire gérante
    gérant owner inhaber inhaberin eigenaar eigenares proprietaria proprietario
    proprietária proprietário titular fondatrice fondateur founder gründerin gründer
    """.split()
)


# Initials with the name one goes by in brackets, as Dutch offices sign: "H.J. (Hein)
# Koopmans" is Hein Koopmans.
_CALLED = re.compile(r"^(?:[A-ZÀ-Þ]\.\s?)+\((?P<given>[A-ZÀ-Þ][a-zß-ÿ'’-]+)\)\s+")


# A surname in capitals beside a given name, as French, Belgian and Spanish offices
# write it: "LEROUX Sylvie", "Sylvie LEROUX", "MOLINA RUIZ, Carmen".
_CAPITALS = re.compile(r"[A-ZÀ-Þ][A-ZÀ-Þ'’-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'’-]+)*")
_GIVEN = re.compile(r"[A-ZÀ-Þ][a-zß-ÿ'’]+(?:-[A-ZÀ-Þ][a-zß-ÿ'’]+)?")


_SURNAME_FIRST = re.compile(rf"({_CAPITALS.pattern}),?\s+({_GIVEN.pattern})")
_GIVEN_FIRST = re.compile(rf"({_GIVEN.pattern})\s+({_CAPITALS.pattern})")


def _surname_in_capitals(line: str) -> str:
    """The name in the usual order and case: "Sylvie Leroux" for "LEROUX Sylvie"."""
    if not any(w.isupper() and len(w) > 1 for w in line.split()):
        return line
    surname_first = _SURNAME_FIRST.fullmatch(line)
    given_first = _GIVEN_FIRST.fullmatch(line)
    if surname_first and is_first_name(surname_first.group(2)):
        return f"{surname_first.group(2)} {_title_case(surname_first.group(1))}"
    if given_first and is_first_name(given_first.group(1)):
        return f"{given_first.group(1)} {_title_case(given_first.group(2))}"
    return line


def _title_case(surname: str) -> str:
    return re.sub(r"[^\s'’-]+", lambda m: m.group()[:1] + m.group()[1:].lower(), surname)


# A firm named after its owner's given name: "Trattoria Da Nello", "Chez Marcel", "Bei Toni".
_OWNER_AFTER = re.compile(r"\b(?i:da|chez|bei|casa|bij|at)\s+(?P<owner>\S+)$")


def _owner_of(name: str, company: str) -> bool:
    """ "Nello" signing for "Trattoria Da Nello": the owner the firm is named after."""
    owner = _OWNER_AFTER.search(company)
    given = name.strip(" ,.!")
    return bool(owner) and owner.group("owner") == given and _given_name(given)


def _names_firm(name: str, sender: Address | None, company: str | None) -> bool:
    """A display name that is the firm's own: "Brusselia Assurances" <jobs@brusselia.example>,
    whatever person-like shape its words have."""
    squashed = _squash(name)
    if company and squashed and (squashed in _squash(company) or _squash(company) in squashed):
        return not _owner_of(name, company)
    if not sender or not name.split():
        return False
    first = _squash(name.split()[0])
    local = _squash(sender.email.partition("@")[0])
    return (
        len(first) >= 4
        and first in _squash(_domain_label(sender.domain))
        and not local.startswith(first)
    )


def _contact(
    view: MailView, signature: list[str], users: frozenset[str], company: str | None = None
) -> tuple[str | None, str | None, float]:
    """From, unless a robot; then Reply-To; then an address in the signature; else none."""
    name, email, sure = _contact_as_written(view, signature, users, company)
    if not name or _SIGN_OFFS.fullmatch(name.lower()) or is_job_platform(name):
        return None, email, 0.0  # "Freundliche Grüsse", "CareerNest": nobody's name
    return _plain_name(name), email, sure


def _contact_as_written(
    view: MailView, signature: list[str], users: frozenset[str], company: str | None
) -> tuple[str | None, str | None, float]:
    sender = view.sender
    candidates: list[Address] = []
    if sender:
        candidates.append(sender)
    candidates.extend(view.reply_to)
    signature_text = "\n".join(signature)
    if "@" in signature_text:  # the pattern tries every letter of a long footer otherwise
        candidates.extend(Address("", e.lower()) for e in _EMAIL.findall(signature_text))

    chosen = next((a for a in candidates if is_writable_contact(a.email, users)), None)
    email = chosen.email if chosen else None
    names = [
        person_name(_surname_in_capitals(a.name.strip().strip("\"'")), a.email)
        or _name_of_mailbox(a)
        for a in ([chosen] if chosen else []) + candidates[:1]
        if a is chosen or _vouched_robot_name(a, email, view.body)
    ]
    tail = [line.strip() for line in view.body.strip().splitlines()[-_SIGNATURE_LINES:]]
    name = next(
        (
            n
            for n in names
            if (_is_person(n) or _mailbox_spells(n, email))
            and not (n and _names_firm(n, sender, company) and not _founder_of(n, sender))
            and not _signed_under_a_person(n, tail)
        ),
        None,
    )
    if name and sender:
        firm = _founder_of(name, sender)
        if firm:
            # "Maëlle de Citronnade" at citronnade.example: Maëlle, of the firm Citronnade;
            # her first name alone when she signs with it, her full name when she signs so.
            first = firm.group("first")
            if first in tail or first in signature[:2]:
                return first, email, _SURE_FIRST_NAME
            full = _signed_in_full(first, tail)
            if full:
                return full, email, _SURE_SIGNED
            short = _signed_short(first, signature[:2], email or "")
            return (short, email, _SURE_FIRST_NAME) if short else (None, email, 0.0)
    if name and len(name.split()) == 1:
        # "Elisa" <elisa.m@…> signing "Elisa Marini": the name she signs with in full.
        return _signed_in_full(name, tail) or name, email, _SURE_HEADER
    particle = _FIRM_AFTER_PARTICLE.match(name) if name else None
    if particle:
        # "Hugo de Marelune" from another domain, signing "Hugo Lefèvre": a first name
        # and a firm, unless the name signed is the display name itself.
        full = _signed_in_full(particle.group("first"), tail)
        if full:
            return full, email, _SURE_SIGNED
    if name:
        return name, email, _SURE_HEADER
    if signature:
        signed = _signed(signature, email or "", sender, company)
        if signed:
            return signed[0], email, signed[1]
    name = _name_above_title(view.body) or _name_below_post(view.body)
    if name:
        return name, email, _SURE_SIGNED
    closing = _closing_name(tail, view.body, sender, company)
    if closing:
        return closing[0], email, closing[1]
    glued = _glued_signer(view.body, sender, company, view.header("to"))
    if glued:
        return glued, email, _SURE_CLOSING
    # A job board's message quoting the employer's: its signer.  (Only a board's: a
    # firm's mail may quote the applicant, who signs too.)
    relayed = (
        _quoted_signer(view.body, sender, company) if sender and _platform_sender(sender) else None
    )
    if relayed:
        return relayed, email, _SURE_CLOSING
    if sender:
        # Or ends the mail with it, whatever the farewell before: "Fijne dag\nPieter".
        first = _first_word(sender.name)
        last = next((line.strip() for line in reversed(view.body.splitlines()) if line.strip()), "")
        # person_name trusts a lone word only from a mailbox of that name; here the
        # mail's last line vouches for it instead.
        # "Pieter en Eline" under "Pieter (Statik)": the sender signs with a colleague;
        # the sender is the one to write to.
        words = last.split()
        signs = last == first or (
            # Only three words around a connector can match: the pattern, made for this
            # one name, is compiled only for them.
            len(words) == 3
            and words[1].lower() in _SIGNING_WITH
            and bool(
                re.fullmatch(rf"{re.escape(first)}\s+(?:&|and|en|und|et|y|e)\s+\S+", last, re.I)
            )
        )
        if (
            first
            and signs
            and person_name(first, first.lower())
            and _is_person(first)
            and not _names_firm(first, sender, company)
        ):
            return first, email, _SURE_FIRST_NAME
    return None, email, 0.0


def _founder_of(display: str, sender: Address | None) -> re.Match[str] | None:
    """A first name and the firm the sender's domain spells: "Maëlle de Citronnade" at
    citronnade.example."""
    firm = _FIRM_AFTER_PARTICLE.match(display)
    label = _squash(_domain_label(sender.domain)) if sender else ""
    if not firm or not label or _squash(display) in label:
        return None  # "Sabor da Terra" at sabordaterra: the firm's own name, whole
    return firm if _squash(firm.group("firm")) in label else None


def _signed_under_a_person(display: str | None, tail: list[str]) -> bool:
    """Whether the sender's name is a line of the mail's end right under another person's
    full name: "Mari Carmen Lozano\nHorno San Blas" from "Horno San Blas" is the shop's."""
    if not display:
        return False
    squashed = _squash(display)
    lines = [line for line in tail if line]
    for above, line in pairwise(lines):
        if _squash(line) == squashed:
            signer = person_name(above)
            return bool(signer and len(signer.split()) >= 2 and _squash(signer) != _squash(line))
    return False


def _signed_short(first: str, signed: list[str], email: str) -> str | None:
    """The short form of a first name its owner signs with, alone on a line right after
    the sign-off, that her mailbox spells too: "Vale" for Valentina at vale@…, or at
    valentina@… where "Vale" is no name of its own."""
    local = email.partition("@")[0].lower()
    return next(
        (
            line
            for line in (line.strip() for line in signed)
            if 3 <= len(line) < len(first)
            and line.isalpha()
            and first.startswith(line)
            and local.startswith(line.lower())
            # "Ana" under Anabel's name may be a colleague's own: a name of its own only
            # when it is the whole mailbox's
            and (local == line.lower() or not is_first_name(line))
            and not _SIGN_OFFS.fullmatch(line.lower())
        ),
        None,
    )


def _signed_in_full(first: str, tail: list[str]) -> str | None:
    """The full name a first name signs with at the mail's end: "Elisa Marini"."""
    for line in tail:
        if line.startswith(f"{first} "):
            name = _person_line(line)
            if name and len(name.split()) >= 2:
                return name
    return None


# A first name with its firm or team: "Jonas from Veldstone", "Felix at Juniper Row",
# "Merve aus dem Engineering-Team", "Camille, Head of People @ Papillote".
_NOT_FIRST_NAMES = frozenset(
    "head lead chief staff senior junior principal director manager office people the"
    # a device's or a mail client's line: "Sent from the Larkfield Academy app"
    " sent gesendet envoyé enviado verzonden inviato".split()
)
_FIRST_NAME_OF = re.compile(
    r"^(?P<first>[^\W\d_][\w'’-]+)(?:\s+(?:from|at|of|@|aus|von|bei|vom|de|du|chez|da|di|del"
    r"|van|bij|namens|per)\b|\s*,\s+|\s+[|–—-]\s+)(?P<rest>.+)$"
)


# A footer's heading word, alone on a line above the firm: no signer.
_FOOTER_WORDS = frozenset(
    "confidentiality privacy disclaimer notice legal important datenschutz hinweis"
    " confidentialité confidencialidad riservatezza privacidade vertrouwelijkheid".split()
)


def _signed(
    signature: list[str], email: str, sender: Address | None, company: str | None
) -> tuple[str, float] | None:
    """The name that signs, among a signature's first lines: past a line that signs for
    someone else ("Im Auftrag") or a title above the name ("La Directrice des RH,")."""
    for index, raw in enumerate(signature[:4]):
        if _ON_BEHALF_LINE.fullmatch(raw):
            continue
        if index and _ON_BEHALF_LINE.fullmatch(signature[index - 1]) and len(raw.split()) == 1:
            # "Im Auftrag\nSchäfer": a civil servant signs with the surname alone.
            surname = person_name(raw, raw.lower())
            return (surname, _SURE_FIRST_NAME) if _is_person(surname) and surname else None
        below = signature[index + 1] if index + 1 < len(signature) else ""
        role_below = bool(below) and (
            _is_role_line(below)
            or bool(_NOT_PERSON.search(below))
            # the firm's own line under a lone name: "Marnie\nCrumb & Co Bakery, 12 High St"
            or bool(
                company
                and below.startswith(company)
                and len(raw.split()) == 1
                and not is_place(raw)
                and raw.lower().strip(" ,.") not in _FOOTER_WORDS
            )
        )
        line = raw.title() if raw.isupper() else raw
        name = _person_line(line, email)
        if not name and role_below and len(line.split()) <= 3:
            # A name above its job title: "JAMES HOLT / CAMPUS RECRUITER" in capitals, or
            # a first name alone ("Claire / Acme | University Recruiting Manager").
            name = _person_line(line, line.split()[0].lower()) if line.split() else None
        if not name:
            name = _initial_signer(line, role_below)  # "Mrs J. Penhaligon\nHeadteacher"
        if name and _names_firm(name, sender, company):
            return None
        if name and len(name.split()) >= 2:
            return name, _SURE_SIGNED
        if not name and _known_first_name(line) and not _names_firm(line, sender, company):
            return line.strip(" ,.!"), _SURE_FIRST_NAME  # "Groetjes,\nFemke"
        first = _lone_first_name(
            line, name, role_below, index == len(signature) - 1, sender, company
        )
        if first:
            return first, _SURE_FIRST_NAME
        if (
            index < 2
            and not name
            and (_is_role_line(raw) or raw.endswith(",") or raw[:1].islower())
        ):
            continue  # a title above the name
        if index < 3 and not name and _above_the_signer(raw, company):
            continue  # "Volksbank Mittelweser eG\nBereich Personal\nClaudia Meinert"
        return None
    return None


# A name signed with its initials: "J. Penhaligon", "J.P. van den Berg", "M. Dubois".
_INITIALS_NAME = re.compile(
    r"(?:[A-ZÀ-Þ]\.\s*){1,3}(?:(?:van|von|de|den|der|da|di|du|le|la|ten|ter)\s+)*"
    r"[A-ZÀ-Þ][a-zß-ÿ'’]+(?:-[A-ZÀ-Þ][a-zß-ÿ'’]+)?"
)


def _initial_signer(line: str, role_below: bool) -> str | None:
    """A name with initials for its given names, vouched for by the post beside it: the
    line below, or after a comma ("J. van den Berg, teamleider bovenbouw")."""
    name, _, post = _HONORIFICS.sub("", line).strip().partition(",")
    name = name.strip()
    if not _INITIALS_NAME.fullmatch(name):
        return None
    return name if (role_below and not post) or (post and _is_role_line(post.strip())) else None


def _above_the_signer(line: str, company: str | None) -> bool:
    """A signature's line that may stand above the name: the firm, or its department."""
    return (
        _org_or_team(line)
        or bool(_LEGAL_SUFFIX.search(line))
        or bool(company and _squash(company) in _squash(line))
    )


def _lone_first_name(
    line: str,
    name: str | None,
    role_below: bool,
    last: bool,
    sender: Address | None,
    company: str | None = None,
) -> str | None:
    """A first name signing alone counts when the mail vouches for it: the sender's name
    says it too ("Pieter (Statik)" signing "Pieter"), a job title or a team stands under
    it or beside it ("Camille, Head of People", "Jonas from Veldstone"), or it ends the
    signature."""
    if name and len(name.split()) == 1:
        if (sender and _first_word(sender.name) == name) or role_below or last:
            return name
        return None
    with_firm = _FIRST_NAME_OF.match(line)
    if not with_firm or len(line.split()) > 8 or line.endswith((".", "!", "?")):
        return None  # a sentence: "Best of luck in your search.", "Again, thank you!"
    first, rest = with_firm.group("first", "rest")
    if (
        first.lower() in _NOT_FIRST_NAMES
        or has_role_head(first)
        or _SIGN_OFFS.fullmatch(first.lower())
    ):
        return None  # "Head of School, …", "Senior Recruiter at Acme", "Thanks, Acme"
    firm = (company and _squash(company) in _squash(rest)) or (
        sender
        and len(label := _squash(_domain_label(sender.domain))) >= 4
        and label in _squash(rest)
    )
    beside = _is_role_line(rest) or bool(_NOT_PERSON.search(rest)) or firm
    if beside and person_name(first, first.lower()) and _is_person(first):
        return first
    return None


def _closing_name(
    tail: list[str], body: str, sender: Address | None, company: str | None
) -> tuple[str, float] | None:
    """A name alone on a line below the mail's last sentence: how a letter signs after
    "…mes salutations distinguées." or with no farewell at all.  Below it only a
    signature's furniture: titles, the firm, addresses, numbers.  A first name counts
    with its firm beside it ("Jonas from Veldstone")."""
    greeting = set(_LETTER_RUNS.findall(body.lstrip().split("\n", 1)[0]))
    last = max((i for i, line in enumerate(tail) if line), default=-1)
    for index in range(last, -1, -1):
        line = tail[index]
        if not line or _ON_BEHALF_LINE.fullmatch(line):
            continue
        signs_last = all(map(_furniture, tail[index + 1 : last + 1]))
        found = _closing_line(line, sender, company, signs_last)
        if found:
            if greeting & set(found[0].split()) or _names_firm(found[0], sender, company):
                continue  # the candidate's own name, or the firm's: a signature's furniture
            above = tail[index - 1] if index else ""
            if _is_role_line(above) and index > 1:
                above = tail[index - 2]  # "Il Dirigente del Settore\nDott. Fabrizio Lombardi"
            # It opens the signature: below the last sentence, a farewell or a gap, not
            # below a team that signs ("L'équipe Talent Acquisition\nVeridia Assurances").
            if (
                not above
                or above.endswith((".", "!", "?", ","))
                or _ON_BEHALF_LINE.fullmatch(above)
            ):
                return found
            return None
        if _FOOTER.search(line) or _IMAGE.fullmatch(line) or " | " in line:
            continue  # a legal footer, an image's placeholder, an address line
        if len(line.split()) > 8 or (line.endswith((".", "!", "?")) and len(line.split()) > 3):
            return None  # the last sentence: no name signs below it
    return None


# A farewell and the name after it on the mail's last line, where a signature lost its
# line breaks: "…candidature.Bien à vous, Véronique Claes, Directrice, Hôtel des
# Remparts", "Thanks, Ruth Delgado - Field Operations", "Regards MARGARET HOLLOWAY".
_GLUED_SIGN_OFF = re.compile(rf"(?<!\w)(?i:{_SIGN_OFFS.pattern})[,.!]?\s+(?=\S)")
_NAME_RUN = re.compile(
    r"(?:[A-ZÀ-Þ][\w'’.-]*)"
    r"(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|de|van|von|da|di|del|do|dos|der|den|la|le)){1,4}"
)


# A farewell that wishes the reader well, after which a name is the reader's: "Alles Gute,
# Tarik!", "Veel succes, Daan!", "Thank you, Alex!".
_WISH = re.compile(
    r"luck|succes|suerte|sorte|fortuna|chance|gute|care|presto|bald|thank|dank|merci"
    r"|grazie|obrigad|gracias|wish|souhait|auguri|deseo|desejo|wens",
    re.I,
)


def _lone_signer(name: str, last: str, body: str, addressee: str) -> bool:
    """Whether a given name alone after the last line's farewell signs the mail: not after
    a wish, and not the name the mail greets or is addressed to."""
    if not _given_name(name):
        return False
    farewells = list(_GLUED_SIGN_OFF.finditer(last[-300:]))
    if farewells and _WISH.search(farewells[-1].group()):
        return False
    greeting = body.lstrip()[:80]
    return not re.search(rf"\b{re.escape(name)}\b", f"{greeting}\n{addressee}")


def _glued_signer(
    body: str, sender: Address | None, company: str | None, addressee: str = ""
) -> str | None:
    """The name right after a farewell on the mail's last line, the signature glued on."""
    last = next((line.strip() for line in reversed(body.splitlines()) if line.strip()), "")
    rest = _after_farewell(last, 300)
    if rest is None:
        return None
    alone = rest.strip().rstrip(" .!")
    if _lone_signer(alone, last, body, addressee):
        return alone  # "… Succes! Groetjes, Marieke": a given name ends the one-liner
    run = _NAME_RUN.match(rest)
    if not run:
        return None
    words = run.group().split()
    lower = next((i for i, w in enumerate(words) if not w.isupper()), len(words))
    capitals = words[:lower]
    if len(capitals) >= 2:
        words = [_title_case(w) for w in capitals]  # "Regards MARGARET HOLLOWAY Oakhill Farm"
    for size in range(min(4, len(words)), 1, -1):
        name = _person_line(" ".join(words[:size]))
        if name and is_first_name(words[0]) and not _names_firm(name, sender, company):
            return name
    return None


def _after_farewell(text: str, window: int) -> str | None:
    """What follows the last farewell in ``text``'s last ``window`` characters, titles
    taken off; None without a farewell."""
    tail = text[-window:]
    farewells = list(_GLUED_SIGN_OFF.finditer(tail))
    return _HONORIFICS.sub("", tail[farewells[-1].end() :]) if farewells else None


# A quoted message's last sentence that is a name alone: "… Sucesso! Marta".
_LAST_WORDS = re.compile(r"[.!?]\s+(?P<name>[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+)?)$")
# A message a job board relays in quotes: „…“, "…", «…», “…”.
_QUOTED_MESSAGE = re.compile(r"[„“\"«]\s*(?P<q>[^„“”\"«»]{20,1500}?)\s*[“”\"»]")


def _quoted_signer(body: str, sender: Address, company: str | None) -> str | None:
    """Who signs the employer's message a job board quotes: "„… Freundliche Grüße, Anja
    Seeberger“", "\"… groetjes Ruud\"": the name after the quote's farewell, a given name
    alone too (the board vouches for the message)."""
    for quote in _QUOTED_MESSAGE.finditer(body[-3000:]):
        text = quote.group("q").rstrip(" .!")
        rest = _after_farewell(text, 200)
        last = _LAST_WORDS.search(text)  # "… Bonne continuation. Nathalie"
        if rest is not None:
            rest = rest.strip()
        elif last:
            rest = last.group("name")
        else:
            continue
        words = rest.split()
        if not 1 <= len(words) <= 3 or not is_first_name(words[0]):
            continue
        name = rest if len(words) == 1 else _person_line(rest)
        if name and _is_person(name) and not _names_firm(name, sender, company):
            return name
    return None


# A footer's legal lines and an image's placeholder, which stand below a signature.
_FOOTER = re.compile(
    r"(?i:registered (?:in|office|address)|authori[sz]ed (?:by|and regulated)|company (?:no|number)"
    r"|this e-?mail|confidential|disclaimer|handelsregister|amtsgericht|registergericht"
    r"|sitz der gesellschaft|geschäftsführ|ust-?id|siret|rcs |capital social|cif:|nif:"
    r"|p\.?\s?iva|partita iva|kvk|btw-?nummer|registo comercial|cnpj)"
)
_IMAGE = re.compile(
    r"(?i:\[?(?:image|logo|cid:[^\]]*|inline image \d*|grafik|afbeelding|imagen)\]?)"
)


def _closing_line(
    line: str, sender: Address | None, company: str | None, last: bool = False
) -> tuple[str, float] | None:
    name = _person_line(line)
    if name and len(name.split()) >= 2:
        return name, _SURE_CLOSING
    lowered = line.lower().rstrip(",.!")
    if _SIGN_OFFS.fullmatch(lowered):
        return None
    first = _lone_first_name(line, None, False, False, sender, company)
    if not first and last and _known_first_name(line):
        # "… ya hemos cubierto el puesto. Suerte!\n\nPaco", "Femke\nPeople Team"
        first = line.strip(" ,.!")
    return (first, _SURE_FIRST_NAME) if first else None


_DIGIT_RUN = re.compile(r"\d[\d\s().+/-]{4,}")


def _furniture(line: str) -> bool:
    """A signature's line below a name: a title, a team, the firm, an address, a number."""
    return (
        not line
        or _is_role_line(line)
        or _org_or_team(line)
        or bool(_EMAIL.search(line) or _DIGIT_RUN.search(line))
        or "www." in line
        or "http" in line
    )


def _org_or_team(line: str) -> bool:
    """A line that names an organisation, an office or a team, not a person."""
    return bool(_NOT_PERSON.search(line) or ORG_NAME_WORDS.search(line) or ROLE_WORDS.search(line))


def _known_first_name(line: str) -> bool:
    """A line that is one given name alone, as people sign: "Femke", "Paco"."""
    return _given_name(line.strip(" ,.!").strip())


def _given_name(word: str) -> bool:
    """One capitalised word of letters, apostrophes or hyphens that is a given name:
    "Marieke", "Zoë", "Łucja", "Anne-Marie"."""
    letters = unicodedata.normalize("NFC", word).replace("-", "").replace("'", "").replace("’", "")
    return len(word) > 1 and word[:1].isupper() and letters.isalpha() and is_first_name(word)


# The words a sender signs with a colleague by, "Pieter en Eline": the pattern's in _contact.
_SIGNING_WITH = frozenset("& and en und et y e".split())
# A first name, a particle, then the firm: "Léa de Pastèque", "Jan van Tuinzaak".
_FIRM_AFTER_PARTICLE = re.compile(
    r"^(?P<first>\S+)\s+(?:de|du|des|da|do|di|van|von|of|from|bei|chez|bij|d['’])\s*(?P<firm>.+)$"
)


_LETTER_RUNS = re.compile(r"[^\W\d_]+")


def _vouched_robot_name(sender: Address, email: str | None, body: str) -> bool:
    """A robot's display name is a person's only when the mail says so too: the address
    to write to is theirs, or the name signs the mail ("Orbital Foods" <noreply@ats>
    names the firm; "Dana Whitfield" <noreply@ats> signing "Dana" is Dana)."""
    if not sender.name.strip():
        return False
    if ROLE_WORDS.search(sender.name) and person_name(sender.name, sender.email):
        return True  # "Pablo Ortega (Recruiting)": a person with their team
    words = [w.lower() for w in _LETTER_RUNS.findall(_ascii(sender.name)) if len(w) > 1]
    if email and any(w in email.partition("@")[0].lower() for w in words):
        return True
    # Signing: the first name alone, or the full name above a job title; a firm signs
    # with its full name too ("Haustechnik Brenner" on the last line).
    name = _squash(person_name(sender.name, sender.email) or "")
    lines = [line.strip() for line in body.strip().splitlines()[-_SIGNATURE_LINES:]]
    lines = [line for line in lines if line]
    for index, line in enumerate(lines):
        squashed = _squash(line)
        if words and squashed == words[0]:
            return True
        if name and squashed == name and index + 1 < len(lines):
            below = lines[index + 1]
            # above a job title, or (a given name first) above the recruiting team's
            # line: "Fernanda Ortiz\nReclutamiento · Tlacuache Logística"
            first = _first_word(sender.name)
            return _is_role_line(below) or (is_first_name(first) and _team_line(below))
    return False


def _team_line(line: str) -> bool:
    """A recruiting team's line, alone or before its firm: "People & Culture",
    "Reclutamiento · Tlacuache Logística", "Talent Acquisition | Acme"."""
    team = _HR_TEAM_LINE.match(line)
    return bool(team) and (team.end() == len(line) or line[team.end() :].lstrip()[:1] in "·|,-–—@")


# A team, a department or a firm signing: never a person to write to.
# Shops and offices that sign in their own name: "Salone Bellavista", "Horno San Antón".
_SHOP_WORDS = alternation(
    """
    salone parrucchiere parrucchieria peluquería peluqueria peluquero peluquera cabeleireiro
    cabeleireira cabeleireiros kapsalon friseur coiffure livraria libreria librería librairie
    buchhandlung boekhandel bookshop apotheke apotheek pharmacie notaría notaio notariskantoor
    notariat weingut cantina adega padaria panadería horno bakery pâtisserie pasticceria
    confeitaria carpintería carpintaria falegnameria menuiserie timmerbedrijf spedition
    transport transporte transportes transports trasporti trattoria osteria pizzeria
    restaurant hotel café garage boulangerie bakkerij bäckerei kwekerij
    """.split()
)
# ... ending it, in the trades a name ends with ("Crumb & Co Bakery", "Löwen-Apotheke"),
# none of them a surname
_SHOP_LAST_WORDS = alternation(
    """
    bakery bookshop apotheke apotheek boekhandel buchhandlung bäckerei bakkerij restaurant
    hotel café garage kapsalon friseur weingut spedition transporte transportes transports
    trasporti kwekerij notariat notariskantoor pizzeria trattoria osteria
    """.split()
)
# as the name's first word, or its last of those: "Salone Bellavista", "Crumb & Co Bakery";
# never "Mikko Salonen" or "Laura Horno"
_SHOP = re.compile(rf"^\s*(?i:{_SHOP_WORDS})(?!\w)|\s(?:\S+-)?(?i:{_SHOP_LAST_WORDS})\s*$")
_NOT_PERSON = re.compile(
    "(?i:"
    + alternation(
        "team équipe equipe equipa equipo squadra recrut recruit reclut talent selecci seleç"
        " selezion werving afdeling abteilung"
        " atelier boulangerie bakkerij bäckerei restaurant hotel café garage cabinet studio agence"
        " agencia agenzia clinique clinica clínica pharmacie farmacia école escola escuela scuola"
        " school lycée institut universit hochschule stichting fundación fondation fundação"
        " association asociación associazione verein gemeente mairie ayuntamiento comune"
        " prefeitura"
        # Offices, departments and mailboxes, which sign as often as people do.
        " sekretariat secretariaat secrétariat secretaria secretaría segreteria secretariat"
        " dipartimento departamento dpto département department abteilung lehrstuhl fakultät"
        " faculty facultad facoltà faculdade faculteit laborator servicio servizio serviço"
        " notific benachrichtig meldingen convocatori concurso resourcing staffing personnel"
        " personeel personale pessoal direction dirección direzione direção direktion directie"
        " bureau oficina ufficio büro kantoor escritório auftrag vertretung délégation"
        " delegación responder rispondere répondre antworten beantwoorden farmácia calzatur"
        " mercantil hoogleraar catedr rector decano dekan doyen vacancy"
        # trades and banks a firm is named after: "Sanitär Hofmann", "Banca Popolare"
        " sanitär haustechnik elektro malerei schreinerei tischlerei dachdeck banca banco"
        " sparkasse volksbank versicherung assicuraz seguros assurance hyper aerol airline"
        " kwekerij trattoria osteria pizzeria division".split()
    )
    + r"|\b(?:hr|rh|ihr|ihre|votre|your|our|time)\b)"
)


def _is_person(name: str | None) -> bool:
    return (
        bool(name)
        and not _NOT_PERSON.search(name or "")
        and not _SHOP.search(name or "")
        and not ORG_NAME_WORDS.search(name or "")
        and not has_role_head(name or "")
    )


def _mailbox_spells(name: str | None, email: str | None) -> bool:
    """A full name its own mailbox spells ("Sam Porter" <sam.porter@...>) is a person's
    even with a trade in it; never a team's or a firm's."""
    if not name or not email or _NOT_PERSON.search(name) or ORG_NAME_WORDS.search(name):
        return False
    if ROLE_WORDS.search(name) or has_role_head(name.split()[0]):
        return False  # "Hiring Manager" <hiring.manager@...>: a first name is no trade
    if any(w.lower() in _CATEGORY_WORDS for w in name.split()):
        return False  # "Sales Manager" <sales.manager@...>: a department's mailbox
    words = [_squash(w) for w in name.split()]
    local = _ascii(email.partition("@")[0]).lower()
    return len(words) >= 2 and (re.split(r"[._-]", local) == words or local == "".join(words))


_CAPITALISED_NAME_WORD = re.compile(r"[A-ZÀ-Þ][a-zß-ÿ'’-]+")


def _name_of_mailbox(address: Address) -> str | None:
    """A display name of capitalised words its mailbox spells whole ("Tom Ashby"
    <tom.ashby@...>): a person's, though a word of it names an ATS or a trade."""
    name = address.name.strip().strip("\"'")
    words = name.split()
    if 2 <= len(words) <= 3 and all(map(_CAPITALISED_NAME_WORD.fullmatch, words)):
        return name if _mailbox_spells(name, address.email) else None
    return None


def _is_role_line(line: str) -> bool:
    """A signature's job-title line: "Senior Recruiter", "Acme | Talent Partner"."""
    words = line.split()
    return 0 < len(words) <= 10 and not _EMAIL.search(line) and has_role_head(line)


def _name_above_title(body: str) -> str | None:
    """A full name, or a given name alone, on its own line right above a job-title line,
    near the mail's end: how recruiters sign when the sign-off is missing or unusual
    ("Enjoy the music,")."""
    tail = [line for line in map(str.strip, body.split("\n")) if line][-_SIGNATURE_LINES:]
    for index in range(len(tail) - 2, -1, -1):
        line, below = tail[index], tail[index + 1]
        if not (_is_role_line(below) or _HR_TEAM_LINE.fullmatch(below) or _firm_s_team(below)):
            continue
        above = tail[index - 1].lower() if index else ""
        if _given_name(line) and not _PRODUCT_ABOVE.search(above):
            return line  # "Paula\nPeople & Culture"
        name = person_name(line)
        if name and len(name.split()) >= 2 and _is_person(name):
            return name
    return None


# The article a formal letter's post begins with: "La Directrice …", "Il Dirigente".
_POST_ARTICLE = re.compile(r"(?:le|la|l['’]|il|lo|el|der|die|the|o|a|de|het)\s", re.I)


def _name_below_post(body: str) -> str | None:
    """A full name on its own line right below its post, as formal letters sign: "La
    Directrice des Ressources Humaines,\nSandrine Lefèvre", "Il Dirigente\nMario Rossi"."""
    tail = [line for line in map(str.strip, body.split("\n")) if line][-_SIGNATURE_LINES:]
    # the name among the mail's last lines: not one a template prints at its top
    for index in range(len(tail) - 1, max(0, len(tail) - 4), -1):
        line = tail[index - 1]
        post = line.rstrip(",")
        if post[-1:] in ".!?:" or len(post.split()) > 8 or not _is_role_line(post):
            continue
        if not (line.endswith(",") or _POST_ARTICLE.match(post)):
            continue  # a card's "Senior Accountant\nAlex Morgan": not a letter's post
        name = person_name(tail[index])
        if name and len(name.split()) >= 2 and _is_person(name):
            return name
    return None


def _firm_s_team(line: str) -> bool:
    """A recruiting team's line that names its firm after it: "Talent Acquisition
    Polderdata", "People & Culture | Brisa"."""
    team = _HR_TEAM_LINE.match(line)
    if not team or line[team.end() : team.end() + 1].isalnum():
        return False  # "Hrvoje", "Personalized"
    rest = line[team.end() :].strip(" ,|·•–—-").split()
    return 0 < len(rest) <= 4 and all(word[:1].isupper() for word in rest)


# The line above a product's name in a footer: "Powered by\nAurora\nHR".
_PRODUCT_ABOVE = re.compile(
    r"powered by|sent (?:via|with)|gesendet (?:über|mit)|envoyé (?:via|avec)"
    r"|enviado (?:via|con|com)|inviato (?:tramite|con)|verzonden (?:via|met)"
)


# A recruiting team's line under its member's name: "People & Culture", "Talent Acquisition".
_HR_TEAM_LINE = re.compile(
    r"(?i:(?:people\s*(?:&|and|und)\s*culture|people(?:\s+(?:ops|operations))?|talent(?:\s+acquisition)?"
    r"|recruiting|recruitment|hr|human\s+resources|personal(?:abteilung)?|ressources\s+humaines"
    r"|rh|recursos\s+humanos|rrhh|risorse\s+umane|recrutement|reclutamiento|recrutamento"
    r"|selezione|werving|p&o|p&c)(?:[-\s]+team)?)"
)


def _first_word(display: str) -> str:
    words = display.strip().strip("\"'").split()
    return words[0] if words else ""


def _vote(candidates: Iterable[tuple[str, float]]) -> tuple[str | None, float, float]:
    """The best value, its score, and the score of all candidates together."""
    scores: dict[str, float] = defaultdict(float)
    spelling: dict[str, str] = {}
    for value, weight in candidates:
        key = _NON_ALNUM.sub("", value.lower())
        if not key or value.lower() in _GENERIC:
            continue
        scores[key] += weight
        spelling.setdefault(key, value)
    if not scores:
        return None, 0.0, 0.0
    best = max(scores, key=lambda k: (scores[k], len(k)))
    return spelling[best], scores[best], sum(scores.values())


def _sureness(best: float, total: float, scale: float) -> float:
    """Confidence from a vote: strong support, and little of it for anything else."""
    if best <= 0:
        return 0.0
    return (1.0 - math.exp(-best / scale)) * (best / total) ** 0.5


# Applicant-tracking systems whose names ride along in senders' display names.
_ATS_NAMES = (
    "workday|greenhouse|lever|icims|smartrecruiters|teamtailor|personio|recruitee"
    "|workable|jobvite|taleo|successfactors"
)
# What a sender's name adds to a company's: "Uline Human Resources", "EY Talent Team",
# "Workday - JustEatTakeaway", "Mission Graduates Hiring".
_ORG_WORDS_AFTER = re.compile(
    r"(?:\s+(?:[-|,]\s+)?(?:global\s+|university\s+|campus\s+|early\s+careers?\s+)?"
    r"(?:human\s+resources|hr|hiring|recruiting|recruitment|campus|university"
    r"|talent(?:\s+(?:attraction|acquisition)(?:\s+(?:and|&)\s+acquisition)?)?|careers?"
    r"|people(?:\s+(?:team|&\s+culture|and\s+culture))?|jobs|karriere|recrutement|werving"
    r"|recrutamento|reclutamiento|reclutamento|selezione|rh|rrhh|personalabteilung"
    r"|bewerbermanagement|personalamt|personalstelle|personalbüro|hauptamt"
    rf"|(?:{_ATS_NAMES}))(?:\s+(?:team|group|department|center|centre))?)+$",
    re.I,
)
_ATS_BEFORE = re.compile(rf"^(?:{_ATS_NAMES})\b\s*[-|:]?\s*(?=\S)", re.I)
# A display name that starts with the team: "Equipe de Recrutamento Beauty Smile",
# "L'équipe Civils de la Défense", "Team Recruitment Acme", "Recruiting-Team Acme",
# "Talent Acquisition | Acme", "Het recruitmentteam van Acme".
_ORG_WORDS_BEFORE = re.compile(
    r"^(?:(?:the|la|le|el|o|a|het|de|die|das|der|il|lo|a\s+nossa|our|notre|nuestro)\s+"
    r"|l['’]\s*)?"  # an article, never the "A" of "ASL Valdarno"
    r"(?:(?:équipe|equipe|equipa|equipo|team|squadra|afdeling|abteilung|département"
    r"|departamento|departement|recruiting-team|recruitment-team|recruitmentteam|hr-team"
    r"|wervingsteam)(?:\s+(?:de\s+|du\s+|des\s+|da\s+|do\s+|di\s+))?\s*)?"
    r"(?:(?:talent\s+acquisition|talent|recruiting|recruitment|recrutement|recrutamento"
    r"|reclutamiento|reclutamento|selección|seleção|selezione|selectie|werving|hr|rh|rrhh"
    r"|human\s+resources|ressources\s+humaines|recursos\s+humanos|risorse\s+umane"
    r"|people|careers?|jobs|karriere|personalabteilung|personal|ufficio\s+(?:personale"
    r"|selezione|risorse\s+umane)|personeelszaken|hiring|carreiras|empleo"
    r"|emploi|vacatures|bewerbermanagement)(?:[-\s]+team)?\s*)?"
    r"(?:\s*(?:at|@|bei|chez|de|da|do|di|van|bij|en|of|for|from|von|der|des|du|d['’])\s*)?"
    r"(?:[-|:–—]\s*)?",
    re.I,
)
_ATS_WORDS = re.compile(rf"\b(?:{_ATS_NAMES})\b", re.I)
# A team's name before the company's: "L'équipe Acme", "Equipe de Recrutamento Acme",
# "Team Recruitment Acme", "Het team van Acme".
_TEAM_BEFORE = re.compile(
    r"^(?:l['’]\s*|(?:the|la|el|a|o|het|das|die|il)\s+)?(?:équipe|equipe|equipa|equipo|team"
    r"|squadra)\s+(?:(?:de|du|des|da|do|di|van|of|at|bei|chez|d['’])\s*)?(?:(?:rh|hr"
    r"|recrutement|recrutamento|reclutamiento|recruitment|recruiting|talent|selección|seleção"
    r"|selezione|werving|selectie)\s+)?(?:(?:de|du|des|da|do|di|van|of|at|bei|chez|d['’])\s*)?"
    r"(?=[A-ZÀ-Þ])",
    re.I,
)
# A recruiting team's word and "of" before the firm's name: "Talento de Brisa Digital",
# "Recrutement chez Acme", "Werving van Acme", "Talent Acquisition at Acme".
_TEAM_WORD_OF = re.compile(
    r"^(?:talent(?:o|s)?(?:\s+acquisition)?|selección|seleccion|seleção|selezione|recrutement"
    r"|reclutamiento|recrutamento|recruiting|recruitment|werving|rrhh|rh|hr|people"
    r"|recursos\s+humanos|ressources\s+humaines|risorse\s+umane)\s+(?:de|da|do|di|del|della"
    r"|des|du|van|of|at|bei|chez|bij|d['’])\s*(?=(?-i:[A-ZÀ-Þ]))",
    re.I,
)
_ROBOT_NAME = re.compile(
    r"^(?:do[-\s]?not[-\s]?reply|no[-\s]?reply|noreply|mailer|notifications?)$", re.I
)
_TRAILING_CONNECTOR = re.compile(
    r"(?:\s+(?:and|&|y|e|und|et|en|of|de|du|des|la|le|van|del|della|di|da|do|dos|das|der|von"
    r"|for|für|pour|per|para|voor))+$",
    re.I,
)
# Greetings and salutations that capitalised phrases start with: never a company.
_GREETING = re.compile(
    r"^(?:dear|hi|hello|hey|bonjour|bonsoir|madame|monsieur|hallo|liebe|lieber|guten|sehr"
    r"|hola|estimad[oa]|buenos|beste|geachte|hoi|ciao|gentile|buongiorno|olá|ola|prezad[oa]"
    r"|caro|cara|querid[oa])\b",
    re.I,
)


# The end of a family firm's or a partnership's name, never a name alone: "Hijos" of
# "Hernández e Hijos", "Partner" of "Steinmetz & Partner".
_KIN_WORDS = frozenset(
    "sons söhne soehne fils figli filhos hijos zonen brothers frères fratelli hermanos irmãos"
    " gebrüder gebroeders partners partner associés associati asociados associados".split()
)


# A practice named after its partners and their trade: "Okoye Lindqvist Architects",
# "Ortega Villalba Abogados", "Vial & Associés Notaires".
_PRACTICE = re.compile(
    r"(?:(?-i:[A-ZÀ-Þ])[\w'’.-]*\s+(?:(?:&|and|y|e|et|und|en)\s+)?){1,4}"
    r"(?i:architects|solicitors|accountants|engineers|surveyors|dentists|opticians|vets"
    r"|abogados|arquitectos|asesores|avocats|architectes|notaires|advocaten|architecten"
    r"|notarissen|accountants|rechtsanwälte|architekten|steuerberater|avvocati|architetti"
    r"|commercialisti|advogados|arquitetos|contabilistas)"
)


# A German office glued to its body's name: "Gemeinde Hollfeld-Personalamt".
_GLUED_OFFICE = re.compile(
    r"-(?i:personalamt|personalstelle|personalbüro|hauptamt|personalabteilung)$"
)


def _practice(value: str) -> bool:
    """A practice's name, not a job's: "Okoye Lindqvist Architects", not "Junior Architects"."""
    lead = value.split()[0] if value.split() else ""
    return (
        bool(_PRACTICE.fullmatch(value))
        and lead.lower() not in _PRACTICE_NOT_LED_BY
        and not has_role_head(lead)
    )


_PRACTICE_NOT_LED_BY = frozenset(
    "senior junior trainee chartered lead principal graduate qualified associate".split()
)


def _clean_company(raw: str) -> str:
    value = raw.strip(" \t.,;:!?\"'“”‘’()").replace("_", " ")
    value = _TEAM_BEFORE.sub("", value)
    value = _TEAM_WORD_OF.sub("", value)
    value = _LEADING_ARTICLE.sub("", value)
    value = _ATS_BEFORE.sub("", value)
    value = _ORG_WORDS_AFTER.sub("", _STREET_PART.sub("", _GLUED_OFFICE.sub("", value)))
    value = value.strip(" -|,")
    value = _without_unit(value)  # "St Aldric's Academy Office", "CHU de Valmont - DRH"
    value = _TRAILING_CONNECTOR.sub("", value)
    for _ in range(3):
        shorter = _LEGAL_SUFFIX.sub("", value).strip(" ,.")
        if shorter == value:
            break
        value = shorter
    value = _TRAILING_CONNECTOR.sub("", value).strip(" -|,:")
    if _ROBOT_NAME.match(value) or _GREETING.match(value):
        return ""
    if has_role_head(value, strong=True) and not _practice(value):
        return ""  # "applying to Data Analyst": a job title where a firm should be
    return value if 1 < len(value) <= 60 else ""


# Where in the mail a value was found, and how much that is worth in the vote.
_SUBJECT_WEIGHT = 2.0
_BODY_WEIGHT = 1.0
# An institution's whole name alone on a line of the signature.
_INSTITUTION_WEIGHT = 2.5
# One named in the text when nothing else names the employer: enough to fill alone.
_NAMED_INSTITUTION_WEIGHT = 1.5
_CLOSING_LINES = 6
_FALLBACK_FACTOR = 0.7
# A value a phrase closes on the right ("the Data Analyst position") is bounded for sure;
# one the phrase leaves open ("as Data Analyst ...") may run on or stop short.
_OPEN_FACTOR = 0.6
# Company and role are named in the subject and the opening lines.
_EXTRACTION_CHARS = 1500

# Extraction phrases for the languages classification reads through another lexicon.
_EXTRA_PATTERNS: dict[str, dict[str, list[str]]] = {
    "it": {
        "title": [
            # never "selezione del personale": a title starts with no preposition
            rf"(?:posizione|ruolo|candidatura|selezione|offerta) (?:per il ruolo di |per la posizione di "
            rf"|di |da |per |come )?(?:il |la |l'|l’)?(?!(?:del|della|dello|dei|delle|degli|dell"
            rf"|al|alla|allo|ai|alle|nel|nella|nello)\b){TITLE_ANY}",
            rf"come {TITLE_ANY} (?:presso|in|da)",
        ],
        "company": [
            rf"(?:interesse per|interesse verso|lavorare (?:con|per|in)|presso|team di"
            rf"|far parte di|candidatura (?:presso|a|in)"
            # un'agenzia con notizie dal cliente: "un riscontro da X", "da parte di X"
            rf"|(?:riscontro|risposta|feedback|decisione|notizie)(?: da parte)? (?:da|di|dal"
            rf"|dalla|dall'|dall’)(?: cliente| nostro cliente| azienda)?|da parte di"
            rf"|da parte dell'|da parte dell’|per conto di|per conto dell'|per conto dell’) ?{COMPANY}",
            rf"(?:posizione|ruolo) di [^\n.,;]{{3,60}}? presso {COMPANY}",
        ],
    },
    "pt": {
        "title": [
            rf"(?:vaga|posição|posicao|cargo|candidatura|função|funcao|oportunidade) (?:de |para"
            rf" |como |para a vaga de |ao cargo de |:)?(?:a |o )?{TITLE_ANY}",
            rf"como {TITLE_ANY} (?:na|no|em)",
        ],
        "company": [
            rf"(?:interesse (?:em|na|no|pela|pelo)|parte da equipe d[aoe]|parte d[aoe]"
            rf"|trabalhar (?:na|no|em|conosco na)|equipe d[aoe]|equipa d[aoe]"
            rf"|candidatura (?:na|no|à|ao)"
            # uma agência com notícias do cliente: "o retorno da X", "por parte da X"
            rf"|(?:retorno|resposta|feedback|decisão|notícias)(?: por parte)? (?:da|do|de)"
            rf"(?: cliente| nosso cliente| empresa)?|por parte d[aoe]) {COMPANY}",
            rf"(?:vaga|processo|posição|posicao) (?:de|para) [^\n.,;]{{3,60}}? para [ao] {COMPANY}",
            rf"(?:vaga|função|funcao|posição|posicao|cargo) de [^\n.,;]{{3,60}}? (?:na|no) {COMPANY}",
        ],
    },
}
_EXTRA_INDEXES = {
    code: PhraseIndex(lists, case_sensitive_values=True) for code, lists in _EXTRA_PATTERNS.items()
}
# A title in any case after the noun of the job ("pour le poste d'assistant juridique.",
# "para la vacante de auxiliar de farmacia en Sevilla", "voor de functie van
# marketingmedewerker bij"), closed by what ends it: a stop, a bracket, or the word that
# names the firm, the place or the client after it, each language's own.
_WORD_RUN = r"[\w][\w/&+.'’*·()-]*(?:\x20[\w][\w/&+.'’*·()-]*){0,5}?"


def _bounded(lead: str, ends: str) -> str:
    return (
        rf"{lead}(?P<value>(?-i:{_WORD_RUN}))"
        # a bracket closes the title after a space only: "Operador(a) de Caixa" goes on
        rf"(?:[ \t]*[.,;:!?\n\"“”»]|[ \t]+\(|\x20[-–—|]\x20|\x20(?:{ends})(?!\w)|$)"
    )


# Where a Dutch title ends: the firm's or the place's preposition, or the verb after it
# ("als Teeltmedewerker is inmiddels ingevuld", "als X niet kunnen aanbieden").
_NL_ENDS = (
    r"bij|in|voor|van\x20(?:onze|ons)|binnen|en|die|dat|met|op|te|is|niet|kunnen|kan|wordt"
    r"|werd|zijn|hebben|heeft|inmiddels|al|reeds|we|wij|helaas"
)
_MORE_PATTERNS: dict[str, dict[str, list[str]]] = {
    "en": {
        # "for the maintenance technician role": a casual mail's lower-case title
        "title": [
            r"(?:for|to|on|about) (?:the|our|this) (?P<value>(?-i:(?!new\x20|next\x20)[a-z][a-z/&-]*"
            r"(?:\x20[a-z][a-z/&'’-]*){0,4}?))(?<!['’]s)"
            r"\x20(?:role|position|job|opening|vacancy|post)(?!\w)",
            rf"(?:on|for|about) the (?:position|role|post|vacancy)(?: of| as)?:? {TITLE_ANY}",
            # "the position you applied for, Logistics Analyst II, has been filled"
            r"(?:position|role|job|vacancy|opening|post) (?:that )?you (?:have )?(?:recently )?"
            rf"applied (?:for|to)(?:,|:| -| \w+ \w+,)\s*{TITLE_ANY}",
        ]
    },
    "fr": {
        "title": [
            _bounded(
                r"(?:poste|offre|fonction|stage|alternance) (?:de |d['’]|d['’]une? |de la |du )",
                r"chez|auprès|au\x20sein|dans|pour|à|au|aux|sur|que|qui|et|a|ont|est|sont|été"
                r"|de\x20(?:la|notre)\x20(?:commune|ville|mairie|société|entreprise|structure)"
                r"|était|sera|n(?=['’])|ne|nous|vous|déjà",
            )
        ]
    },
    "es": {
        "title": [
            _bounded(
                r"(?:puesto|vacante|posición|posicion|plaza|oferta) (?:de |como )",
                r"en|para|de\x20(?:nuestr[oa]|la\x20empresa)|con|que|y|ya|ha|han|había|sido|es"
                r"|fue|está|no|se|nos|le|al|a|ni",
            )
        ]
    },
    "it": {
        "title": [
            _bounded(
                r"(?:posto|posizione|ruolo|profilo|selezione|offerta|concorso|avviso|tirocinio"
                r"|stage) (?:per il posto di |per il ruolo di |per la posizione di "
                r"|per la figura di |di |da |per |come )(?:il |la |l['’]|un |una |uno )?"
                r"(?!(?:posto|ruolo|posizione|figura) )",
                r"presso|in|nel|nella|nei|per|a|al|alla|da|che|e|è|non|ci|sono|stat[oa]|con"
                r"|di\x20(?:nostr[oia]|cui)|sede|cat|categoria",
            )
        ]
    },
    "pt": {
        "title": [
            _bounded(
                r"(?:vaga|posição|posicao|cargo|função|funcao|oportunidade|estágio|estagio)"
                r" (?:de |para |como |para a vaga de |ao cargo de )(?:a |o |um |uma )?",
                r"na|no|em|para|que|e|é|foi|não|nos|com|junto|d[ao]\x20(?:nossa|nosso)|sede",
            )
        ]
    },
    "nl": {
        "title": [
            _bounded(
                r"(?:functie|vacature|positie) (?:van |als )?(?:de |het )?",
                _NL_ENDS,
            ),
            _bounded(r"(?:sollicitatie|gesolliciteerd|solliciteren) als ", _NL_ENDS),
        ]
    },
}

# A structured mail's labelled lines: "Job title: Staff Nurse", "Employer: Westbrook NHS
# Trust", "Stelle: Sachbearbeiter", "Poste : Comptable", "Empresa: Grupo Tavira".
_LABELLED_KEYS = {
    "title": {
        "en": "job title|position title|position|vacancy|application for|post|role|job",
        "de": "stelle|stellenbezeichnung|position|ausschreibung|funktion",
        "fr": "poste|intitulé du poste|offre|fonction",
        "es": "puesto|vacante|posición|cargo",
        "nl": "functie|vacature|functietitel",
        "it": "posizione|ruolo|profilo|figura",
        "pt": "vaga|cargo|função|posição",
    },
    "company": {
        "en": "employer|company|organi[sz]ation|hiring company",
        "de": "arbeitgeber|unternehmen|firma",
        "fr": "employeur|entreprise|société",
        "es": "empresa|empleador|entidad",
        "nl": "werkgever|bedrijf|organisatie",
        "it": "azienda|datore di lavoro|società",
        "pt": "empresa|empregador|entidade",
    },
}
# A value after a colon, these lines' and "for the position: X", says it outright.
_LABELLED_FACTOR = 2.0
for _name, _by_language in _LABELLED_KEYS.items():
    for _code, _keys in _by_language.items():
        _MORE_PATTERNS.setdefault(_code, {}).setdefault(_name, []).append(
            rf"(?:{_keys})[\x20\t]*:[\x20\t]*(?P<value>[^\n:]{{2,80}}?)[\x20\t]*(?=\n|$)"
        )
_MORE_INDEXES = {
    code: PhraseIndex(lists, case_sensitive_values=True) for code, lists in _MORE_PATTERNS.items()
}


_SPACED_DASH = re.compile(r"\x20[–—-]\x20")


def _scan_extractors(
    text: Text, subject_length: int, lex: Lexicon, fallback: Lexicon, language: str | None
) -> dict[str, list[tuple[str, float]]]:
    """Candidate titles and companies from subject and body, with their weights."""
    # "title_late": titles of the bounded and quoted patterns, whose spelling gives way to
    # the subject's ("Assistant comptable" over "au poste d'assistant comptable").
    found: dict[str, list[tuple[str, float]]] = {"title": [], "company": [], "title_late": []}
    code = language or lex.code
    words = text.words[: bisect_left(text.words, (_EXTRACTION_CHARS,))]
    clean = {"title": _clean_title, "company": _clean_company}
    # The mail's lexicon and the English one often find the same span: cleaned once.
    cleaned: dict[tuple[str, str], str] = {}
    indexes: list[tuple[PhraseIndex, float]] = []
    if language in _EXTRA_INDEXES:
        indexes.append((_EXTRA_INDEXES[language], 1.0))
    more = _MORE_INDEXES.get(code)
    if more:
        indexes.append((more, 1.0))
    for lexicon in (lex,) if lex is fallback else (lex, fallback):
        factor = 1.0 if lexicon is lex and language not in _EXTRA_INDEXES else _FALLBACK_FACTOR
        indexes.append((lexicon.extractors, factor))
    for index, factor in indexes:
        for name, matches in index.scan(text.original, words).items():
            for match in matches:
                weight = _SUBJECT_WEIGHT if match.start() < subject_length else _BODY_WEIGHT
                group = _value_group(match)
                if match.start() < subject_length < match.start(group):
                    continue  # "Feedback do cliente" + the body's "Fala!": two texts
                raw = match.group(group)
                closed = match.end() > match.end(group)
                if name == "title" and code in _LOWER_CASE_TITLES:
                    raw, closed = _run_on(text.original, match.start(group), raw, closed)
                    if language in _EXTRA_INDEXES:
                        # "Progettista meccanico in Meccanica Orobica S.p.A.": the run
                        # ends where the firm's preposition and name begin.
                        firm = _FIRM_NEXT.search(raw)
                        if firm:
                            raw, closed = raw[: firm.start()], True
                    # "come commessa.", "para a vaga de assistente técnico,": a short
                    # lower-case title the sentence's stop bounds.
                    head = _STOP.split(raw, maxsplit=1)[0].rstrip()
                    end = match.start(group) + len(head)
                    closed = closed or (
                        (head[:1].islower() or language in _EXTRA_INDEXES)
                        and len(head.split()) <= 5
                        and bool(_STOP_NEXT.match(text.original[end : end + 3]))
                    )
                    # "come X presso Acme", "vaga de X na Acme": TITLE_ANY ends where the
                    # firm's preposition and its capitalised name begin.
                    closed = closed or (
                        language in _EXTRA_INDEXES
                        and len(head.split()) <= 5
                        and bool(_FIRM_NEXT.match(text.original, end))
                    )
                    # "posizione JR-20817 Addetta Ufficio Acquisti – Bergamo": a spaced dash
                    # ends the title as surely as a stop.
                    closed = closed or bool(_SPACED_DASH.match(text.original, end))
                elif name == "title" and code in _CAPITALISED_TITLES and not closed:
                    # German and English titles are capitalised: a lower-case word or a
                    # stop after the run ends it ("als Backend Developer (Python) und dein").
                    head = _ENDS_IN_CONNECTOR_EN_DE.sub("", raw)
                    closed = bool(_CLOSES.match(text.original, match.start(group) + len(head)))
                if name == "title":
                    joined = _through_colon(text.original, match.start(group) + len(raw), raw)
                    if joined is None:
                        continue  # "our 2024 Intern: ..." that goes on into no title
                    if joined != raw:
                        raw, closed = joined, True
                if name == "company":
                    # "Allen Institute" + " for AI"; a run cut at the pattern's word limit
                    # is no name a draft could use.
                    longer = _extend_org(text.original, match.end(group), raw)
                    if longer == raw and _cut_short(text.original, match.end(group)):
                        continue
                    raw = longer
                if (name, raw) not in cleaned:
                    cleaned[name, raw] = clean[name](raw)
                value = cleaned[name, raw]
                if not value or (
                    name == "company" and (is_place(value, towns=False) or _named_person(value))
                ):
                    continue  # "feedback from Sarah Jones", "un riscontro da Marco Rossi"
                if name == "title":
                    weight *= 1.0 if closed else _OPEN_FACTOR
                before = text.original[max(0, match.start(group) - 4) : match.start(group)]
                if index is more and before.rstrip(" \t").endswith(":"):
                    weight *= _LABELLED_FACTOR
                late = name == "title" and index is more
                found["title_late" if late else name].append((value, weight * factor))
    found["title_late"].extend(_quoted_titles(text.original, subject_length))
    return found


# A title in quotes beside the noun of the job: «Consultant junior en stratégie», the
# vacature 'Werkvoorbereider Bouw', our "Junior Copywriter" opening, l'annuncio "X".
_JOB_NOUN_WORDS = (
    r"offre|annonce|poste|vacature|functie|vacancy|opening|role|position|job|posting|advert"
    r"|stelle|stellenanzeige|position|ausschreibung|posizione|annuncio|ruolo|vaga|cargo"
    r"|anúncio|anuncio|puesto|vacante|oferta|plaza|post|função|funzione"
)
_QUOTE_OPEN = "«“\"„'‚‘"
_QUOTE_CLOSE = "»”\"“'’"
_QUOTED = re.compile(
    rf"(?i:\b(?:{_JOB_NOUN_WORDS}))[ \t]+(?:(?i:de|d['’]|van|for|of|di|als|:)[ \t]+)?"
    rf"[{_QUOTE_OPEN}][ \t]?(?P<a>[^{_QUOTE_OPEN}{_QUOTE_CLOSE}\n]{{3,70}}?)[ \t]?[{_QUOTE_CLOSE}]"
    rf"|[{_QUOTE_OPEN}][ \t]?(?P<b>[^{_QUOTE_OPEN}{_QUOTE_CLOSE}\n]{{3,70}}?)[ \t]?[{_QUOTE_CLOSE}]"
    rf"[ \t]+(?i:(?:{_JOB_NOUN_WORDS})\b)"
)
_ANY_QUOTE = re.compile(f"[{_QUOTE_OPEN}]")


def _quoted_titles(text: str, subject_length: int) -> list[tuple[str, float]]:
    head = text[:_EXTRACTION_CHARS]
    if not _ANY_QUOTE.search(head):  # most mail quotes nothing
        return []
    found = []
    for match in _QUOTED.finditer(head):
        value = _clean_title(match.group("a") or match.group("b"))
        if value and names_job(value) and not _SENTENCE.search(value):
            weight = _SUBJECT_WEIGHT if match.start() < subject_length else _BODY_WEIGHT
            found.append((value, weight))
    return found


# Languages whose titles go on in lower case after a capitalised head: "Auxiliar
# administrativo", "Spécialiste en sécurité informatique", "Chef de projet", "Técnico/a
# de soporte", "Addetto alla logistica".
_LOWER_CASE_TITLES = frozenset({"fr", "es", "it", "pt"})
_CAPITALISED_TITLES = frozenset({"en", "de"})
_CONNECTOR_EN_DE = r"(?:of|and|or|for|in|im|und|oder|für|-|–|&|/|\+)"
_CLOSES = re.compile(r"[ \t]*(?:[.,;:!?\n\"“”»]|$)|\x20(?-i:[a-zäöüß])")
_ENDS_IN_CONNECTOR_EN_DE = re.compile(rf"(?:\x20{_CONNECTOR_EN_DE})+$")
_STOP = re.compile(r"[.,;:!?\n]")
_STOP_NEXT = re.compile(r"[ \t]*[.,;:!?\n]")
_FIRM_NEXT = re.compile(
    r"\x20(?:presso|in|na|no|em|da|do|junto\x20(?:a|à)|pela|pelo)\x20(?-i:[A-ZÀ-Þ])"
)
_DETERMINERS = (
    r"la|le|les|l|el|los|las|lo|un|una|une|uno|um|uma|notre|votre|nos|vos|nuestra|nuestro"
    r"|nuestros|nuestras|su|sus|nostro|nostra|vostro|vostra|il|gli|i|o|a|os|as|nossa|nosso"
    r"|sua|seu|mon|ma|mes|ton|ta|sa|son|ses|leur|leurs|cette|ce|ces|este|esta|estos|estas"
    r"|ese|esa|esse|essa|questo|questa|quel|quella|tu|tus|vous|nous|usted|ustedes|lequel"
    r"|laquelle|lesquels|lesquelles|qui|que|quoi|dont|cual|cuales|cui|quale|quali|qual|quais"
    r"|quien|quem|cela|ceci|eso|esto|isso|isto|ci|nous|lo|le"
)
_CONNECTOR = (
    r"(?:de|del|de\x20la|des|du|d['’]|en|di|della|dello|delle|dei|degli|da|do|dos|das"
    r"|e|y|et|à|al|alla|allo|ao|à\x20la|aux|au)"
)
_ADJECTIVE = (
    r"(?-i:[a-zà-ÿ][\w/()-]*(?:ivo|iva|ivos|ivas|que|ques|able|ables|ible|aire|aires|ico|ica"
    r"|icos|icas|ale|ali|ales|iste|ista|istas|ier|iers|ière|ières|if|ive|ien|ienne|ado|ada"
    r"|ario|aria|ário|ária|ais|aise|ano|ana|ese|oso|osa|iel|ielle|ux|eux|euse|ior|iore|al|el"
    r"|elle))"
)
# Only "of" takes a capitalised word on ("Editor/a de mesa de Narrativa"); after "en",
# "para", "à" a capital is where or for whom ("en Madrid", "en QuetzalPay").
_RUN_ON = re.compile(
    rf"(?i:\x20{_CONNECTOR}(?:\x20|(?<=['’]))(?!(?:{_DETERMINERS})\b)(?-i:[a-zà-ÿ])[\w/()’'-]*"
    rf"|\x20(?:de|del|des|du|d['’]|di|della|da|do|dos|das)(?:\x20|(?<=['’]))"
    rf"(?!(?:{_DETERMINERS})\b)(?-i:[A-ZÀ-Þ])[\w/()’'-]*|\x20{_ADJECTIVE}(?!\w))"
)
_ENDS_SPAN = re.compile(r"\s*(?:[.,;:!?\n\"“”»)]|$)")
_ENDS_IN_CONNECTOR = re.compile(rf"(?:\x20{_CONNECTOR})+$", re.I)


def _run_on(text: str, start: int, raw: str, closed: bool) -> tuple[str, bool]:
    """A capitalised title head with its lower-case rest: "Chef" + " de projet digital"."""
    head = _ENDS_IN_CONNECTOR.sub("", raw)
    end = start + len(head)
    grew = False
    while True:
        more = _RUN_ON.match(text, end)
        if not more or "\n" in more.group():
            break
        end, grew = more.end(), True
    if not grew or len(text[start:end]) <= len(raw):
        return raw, closed
    return text[start:end], closed or bool(_ENDS_SPAN.match(text, end))


# A title whose head is only a season, a year or an early-career word ("2027 Summer
# Intern", "Stagiaire été 2027", "New Grad Program") says which job only after a colon:
# "2027 Summer Intern: Payments Data Internship". The words such a head is made of, in the
# seven languages.
_GENERIC_HEADS = frozenset(
    "intern interns internship internships trainee trainees traineeship apprentice"
    " apprenticeship co-op coop placement student students werkstudent werkstudentin"
    " praktikant praktikantin praktikum stagiaire stage stages alternant alternante"
    " alternance apprenti apprentie becario becaria becarios prácticas practicas beca"
    " estagiário estagiária estagiario estagiaria estágio estagio tirocinante tirocinio"
    " stagista stagiair stagiaires program programme programs fellow fellowship residency"
    " graduate graduates grad grads".split()
)
_GENERIC_FILLERS = frozenset(
    "summer winter spring fall autumn sommer frühling herbst été hiver printemps automne"
    " verano invierno primavera otoño zomer lente herfst estate inverno autunno verão verao"
    " outono new campus university college early career careers entry level entry-level"
    " undergraduate postgraduate full-time part-time off-cycle junior the of and for de du"
    " des d en el la le di da do per van voor für".split()
)
_YEAR = re.compile(r"(?:fy)?\d{2,4}(?:[-/]\d{2,4})?")
_COLON_AFTER = re.compile(r"[ \t]?:[ \t]+(?P<rest>[^\n]+)")
_FIRM_AFTER = re.compile(r"\s(?:at|with|bei|chez|bij|presso|em|na|no|@)\s.*$")


def _generic_title(value: str) -> bool:
    """Whether a title is only a season, a year and an early-career head."""
    words = [w.strip("()'’,.").lower() for w in value.split()]
    return any(w in _GENERIC_HEADS for w in words) and all(
        w in _GENERIC_HEADS or w in _GENERIC_FILLERS or _YEAR.fullmatch(w) for w in words if w
    )


def _through_colon(text: str, end: int, raw: str) -> str | None:
    """A generic title's whole "A: B" when a colon follows it and B names a role; None
    when B names none (a generic head cut there is no title to trust); else ``raw``."""
    after = _COLON_AFTER.match(text, end)
    if not after or not _generic_title(raw):
        return raw
    rest = _SENTENCE_END.split(after.group("rest"), maxsplit=1)[0].strip(" \t.;!?")
    rest = _FIRM_AFTER.sub("", rest)
    words = rest.split()
    while len(words) > 1 and words[-1].lower().strip(",") in _JOB_NOUNS:
        words.pop()  # "...: Payments Data Internship position"
    rest = " ".join(words).strip(" ,")
    if (
        not rest
        or len(words) > 10
        or not has_role_head(rest)
        or _SENTENCE.search(rest)
        or _STATUS_WORDS.search(rest)
    ):
        return None
    return f"{raw}: {rest}"


def _value_group(match: re.Match[str]) -> int:
    return next(i for i, v in enumerate(match.groups(), 1) if v is not None)


_COMPANY_SCALE = 1.5
# A capitalised run of words in the mail, to find how it spells its own domain.
_CAPITALISED_RUN = re.compile(
    r"(?<![\w.@/-])(?:[A-Z][\w&'’.-]*)(?:[ ](?:[A-Z][\w&'’.-]*|&|of|and|de|du|la|van|der)){0,4}"
)
_PERSON_THEN_ORG = re.compile(r"^(?P<p>[^()|@]+?)\s*(?:\((?P<a>[^()]+)\)|[|]\s*(?P<b>.+))$")


_DOMAIN_WORD = re.compile(
    r"\b(?P<n>[a-z0-9][\w-]*)\.(?:com|net|org|io|co|de|fr|es|nl|it|pt|br|uk|eu)\b"
)


def _display_company(display: str, sender_email: str) -> tuple[str, float]:
    """The company a sender's display name names, and how plainly."""
    display = display.strip().strip("\"'")
    if _DOMAIN_WORD.search(display):
        return "", 0.0  # "shipt.com Recruiting": a domain, only a hint at the name
    if not display or "@" in display:
        return "", 0.0
    parts = _PERSON_THEN_ORG.match(display)
    if parts:
        person, org = parts.group("p"), parts.group("a") or parts.group("b") or ""
        if _looks_like_person(person) and not ROLE_WORDS.fullmatch(org.strip()):
            value = _clean_company(_ORG_WORDS_BEFORE.sub("", org.strip()))
            return value, 3.0 if value and not ROLE_WORDS.search(value) else 0.0
    for pattern in _ORG_DISPLAY:
        match = pattern.match(display)
        if match:
            return _clean_company(match.group("c")), 3.0
    spaced = _TEAM_DASH_AFTER_HR.sub(" ", _TEAM_DASH.sub(" ", display))
    stripped = _ORG_WORDS_BEFORE.sub("", spaced)
    if stripped != spaced and stripped and stripped[0].isupper():
        return _clean_company(stripped), 3.0
    # "Applied Materials HR amat": the team word ends the company's name.
    cut = _TEAM_WORD_ENDS_NAME.match(spaced)
    if cut and not _CAPITALISED_WORD.search(_ATS_WORDS.sub("", cut.group("rest"))):
        value = _clean_company(cut.group("c"))
        return value, 3.0 if value else 0.0
    domain = sender_email.partition("@")[2]
    via = _VIA_SENDER.match(display)
    if via and _squash(via.group("by"))[:6] in _squash(domain):
        # "Tallyway via Leverloop" from leverloop's mailbox: Tallyway writes through it.
        value = _clean_company(via.group("firm"))
        person = bool(value) and is_first_name(value.split()[0]) and _looks_like_person(value)
        return (value, 3.0) if value and not person else ("", 0.0)
    firm = _TEAM_WORD_AFTER.sub("", display).strip(" -–|")
    words = firm.split()
    if (
        2 <= len(words) <= 4
        and not is_ats_domain(domain)
        and not is_first_name(words[0])
        and not ROLE_WORDS.fullmatch(firm)
        and any(len(k) >= 5 and k in _squash(domain) for k in map(_squash, words))
    ):
        return _clean_company(firm), 3.0  # "Coralline Resorts" <…@coralline-resorts…>
    local = _squash(sender_email.partition("@")[0])
    if _SHOP.search(display) and _squash(display) == local:
        return _clean_company(display), 3.0  # "Horno San Antón" <hornosananton@…>: the shop
    bare = _HONORIFICS.sub("", display)  # "Prof. dr. Hilde Maes" is a person too
    if (
        not person_name(display, sender_email)
        and not _looks_like_person(display)
        and not (bare != display and person_name(bare, sender_email))
        and not ROLE_WORDS.search(spaced)
    ):
        return _clean_company(spaced), 1.5
    return "", 0.0


# A firm writing through a board or an ATS: "Tallyway via Leverloop", "Monedo vía
# Talentrail", "Casamia Store tramite Selectio", "Lojas X através de Y".
_VIA_SENDER = re.compile(
    r"^(?P<firm>.+?)\s+(?:via|vía|through|über|par|por|tramite|door|através de|atraves de)"
    r"\s+(?P<by>\S.*)$",
    re.I,
)
# A team or a department after the firm in a display name: "Aerolíneas Alcor - Selección".
_TEAM_WORD_AFTER = re.compile(
    r"\s*(?:[-–|,]\s*)?(?:recruiting|recruitment|careers?|jobs|talent(?: acquisition)?|hr"
    r"|rh|rrhh|selección|seleccion|selezione|seleção|recrutement|recrutamento|werving"
    r"|personal|personalabteilung|people|hiring)(?:\s+team)?$",
    re.I,
)
# "Acme_Careers", "Acme-HR", "HR-Acme": the underscore or dash of a team's address name.
_TEAM_DASH = re.compile(
    r"[_]+|(?<=\w)-(?=(?:hr|rh|workday|recruiting|talent|careers|jobs)\b)", re.I
)
_TEAM_DASH_AFTER_HR = re.compile(r"(?<=\b(?:HR|RH))-")
_TEAM_WORD_ENDS_NAME = re.compile(
    r"^(?P<c>.+?)\s+(?:hr|rh|rrhh|recruiting|recruitment|talent(?:\s+acquisition)?"
    r"|careers?|human\s+resources)\b(?P<rest>.*)$",
    re.I,
)
_CAPITALISED_WORD = re.compile(r"\b[A-Z]")


def _named_person(value: str) -> bool:
    """A given name, alone or before a surname, where a firm was looked for."""
    words = value.split()
    return 1 <= len(words) <= 2 and is_first_name(words[0]) and _looks_like_person(value)


def _looks_like_person(value: str) -> bool:
    """A first name, or first and last: "Pieter", "Grace O'Neill"."""
    words = value.split()
    return 1 <= len(words) <= 3 and bool(person_name(value, words[0].lower() if words else ""))


def _domain_label(domain: str) -> str:
    """The name part of a mail domain: acme.com -> acme, acme.com.br -> acme."""
    labels = [label for label in domain.lower().split(".") if label]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        label = labels[-3]
    else:
        label = labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")
    return label.removesuffix("-example")


_SECOND_LEVEL = frozenset("com co org net gov gouv gob ac edu ltd plc nom or ne go".split())


def _spelled_in(text: str, squashed_domain: str) -> str | None:
    """A capitalised phrase of the mail that spells its domain: "State Farm" at statefarm."""
    head = text[:4000]
    squash = _squash_for(squashed_domain, head)
    # Squashing keeps the order of letters, so a phrase spells the domain only inside a
    # run, and a run only inside a text, whose own squashed letters contain it.
    if len(squashed_domain) < 3 or squashed_domain not in squash(head):
        return None
    for match in _CAPITALISED_RUN.finditer(head):
        if squashed_domain not in squash(match.group()):
            continue
        words = match.group().split(" ")
        for length in range(len(words), 0, -1):
            for begin in range(0, len(words) - length + 1):
                phrase = " ".join(words[begin : begin + length]).strip(".,'’")
                if squash(phrase) == squashed_domain and phrase[:1].isupper():
                    # "Polder" in "Polder Logistiek B.V.": a run ending in a legal form
                    # is the whole name.
                    if begin == 0:
                        for size in range(len(words), length, -1):
                            whole = " ".join(words[:size]).strip(".,'’")
                            if _LEGAL_SUFFIX.search(whole):
                                return whole
                    return phrase
    return None


# How a job board or portal names the employer it writes for, in the seven languages:
# "Acme has reviewed your application", "Acme a examiné votre candidature", "Acme hat
# sich ... entschieden", "on behalf of Acme", "afgewezen door Acme", "your application
# for <title> at Acme", "An update from Acme", "Votre candidature chez Acme".
_RELAY_VERBS = (
    r"(?:has|have|had)\s+(?:now\s+|carefully\s+)?(?:reviewed|decided|chosen|selected|declined"
    r"|rejected|moved|filled|closed|updated|viewed|made|opted|elected|considered|received"
    r"|looked)|(?:decided|declined|reviewed|chose|selected|rejected|passed)\b"
    r"|(?:is|are|will)\s+(?:not|no\s+longer|unable)"
    r"|(?:a|ont)\s+(?:bien\s+)?(?:examiné|étudié|reçu|décidé|choisi|retenu|refusé|décliné"
    r"|pris|fait|donné|consulté|clôturé|pourvu)|ne\s+(?:donnera|donne|souhaite|peut|retient)"
    r"|n['’](?:a|ont)\s+pas"
    r"|hat\s+(?:sich|Ihre|deine|Ihnen|dir|entschieden|beschlossen|die|Deine)|haben\s+sich"
    r"|(?:ha|han)\s+(?:revisado|decidido|valorado|estudiado|recibido|seleccionado|descartado"
    r"|optado|esaminato|valutato|deciso|scelto|ricevuto|preferito)"
    r"|heeft\s+(?:je|jouw|uw|besloten|gekozen|gekeken|bekeken|beoordeeld)"
    r"|(?:analisou|decidiu|avaliou|optou|escolheu|recebeu|não\s+(?:vai|irá|poderá))"
)
# Phrases, matched in any case, a space standing for any white space; one prefix tree
# of them (``alternation``) is searched a few times faster than their flat alternation.
_RELAY_BEFORE = alternation(
    [
        "on behalf of",
        *(f"{w} from" for w in "update message news response decision reply feedback".split()),
        "de la part de",
        "au nom de",
        "pour le compte de",
        *(
            f"{w}{n} de"
            for w in ("réponse", "retour", "message")
            for n in ("", " négativ", " négative")
        ),
        *(
            f"{w}{e}{s} par"
            for w in ("refusé", "décliné", "examiné", "rejeté", "étudié")
            for e in ("", "e")
            for s in ("", "s")
        ),
        *(f"im {w} {a}" for w in ("auftrag", "namen") for a in ("von", "der", "des")),
        "seitens",
        "seitens der",
        *(
            f"{w} {a}"
            for w in ("absage", "rückmeldung", "nachricht", "antwort")
            for a in ("von", "der", "des")
        ),
        "en nombre de",
        "de parte de",
        "por parte de",
        "respuesta de",
        *(f"{w} door" for w in "afgewezen beoordeeld bekeken geselecteerd gekozen".split()),
        "namens",
        "bericht van",
        "per conto di",
        "da parte di",
        *(f"{w} {a}" for w in ("risposta", "messaggio") for a in ("di", "da")),
        *(f"{w} d{v}" for w in ("em nome", "por parte", "resposta", "mensagem") for v in "aoe"),
        # the board names the employer by its noun: "l'azienda Hotel Belvedere ha valutato"
        "the company",
        "the employer",
        *(f"l{a}{w}" for a in "'’" for w in ("azienda", "entreprise", "employeur")),
        "la società",
        "la société",
        "la empresa",
        "el empleador",
        "a empresa",
        "o empregador",
        "die firma",
        "das unternehmen",
        "der arbeitgeber",
        "het bedrijf",
        "de werkgever",
        *(
            f"{w} {a}"
            for w in "candidature application bewerbung candidatura sollicitatie postulación".split()
            for a in (*"chez at with bei en bij presso na no".split(), "junto a", "junto à")
        ),
    ],
    space=r"\s+",
)
_RELAY = (
    re.compile(rf"(?:^|(?<=[\n,;:.!?]))[ \t]*{COMPANY}\s+(?i:{_RELAY_VERBS})", re.M),
    re.compile(
        rf"(?i:{_RELAY_BEFORE})\s+(?:(?i:the|la|le|l['’]|el|de|het|der|die|il|a|o)\s+)?{COMPANY}"
    ),
    # "for Year 4 class teacher at Maple Grove School", "als Entwickler bei Acme".
    re.compile(
        r"(?i:(?:application|applied|applying|candidature|bewerbung|candidatura|sollicitatie)"
        r"\s+(?:for|to|as|pour|au\s+poste\s+de|als|auf|für|para|per|voor)\s+)"
        rf"[^\n.!?]{{1,80}}?\s+(?i:at|chez|bei|bij|en|presso|na|no)\s+{COMPANY}"
    ),
)


# A portal's mail signed by the employer's team: "Dein Lehrstuhl für Optik Team",
# "Your Acme Team", "L'équipe Acme", "Het team van Acme".
_TEAM_SIGN_OFF = re.compile(
    r"^(?:your|dein|deine|ihr|ihre|euer|votre|ton|tu|su|uw|je|jouw|il\s+tuo|la\s+tua|o\s+seu"
    r"|a\s+sua|the)\s+(?P<value>(?-i:[A-ZÀ-Þ]).{1,60}?)[-\s]+(?:team|équipe|equipo|equipa"
    r"|squadra)\W*$",
    re.I | re.M,
)
_PRONOUN = re.compile(
    r"^(?:(?:i|we|you|he|she|they|it|there)['’](?:m|re|ve|ll|d|s)"  # "with the client, I'm"
    r"|i|we|you|he|she|they|it|this|that|there|wir|sie|ich|er|es|nous|vous|ils|elles|on"
    r"|nosotros|ellos|wij|zij|ze|noi|loro|nós|eles|unfortunately|however|leider|helaas"
    r"|malheureusement|lamentablemente|purtroppo|infelizmente)$",
    re.I,
)


def _relayed(text: str) -> list[tuple[str, float]]:
    """The employer a job board's mail says decided: its name, weighted as a subject's."""
    found = []
    head = text[: _EXTRACTION_CHARS * 2]
    matches = [m for pattern in _RELAY for m in pattern.finditer(head)]
    matches += list(_TEAM_SIGN_OFF.finditer(text[-600:]))
    for match in matches:
        end = match.end("value")
        raw = match.group("value")
        if match.re is not _TEAM_SIGN_OFF:
            raw = _extend_org(match.string, end, raw)
            if len(raw) == len(match.group("value")) and _cut_short(match.string, end):
                continue
        value = _clean_company(raw)
        if value and not is_job_platform(value) and not _PRONOUN.match(value):
            found.append((value, _SUBJECT_WEIGHT))
    return found


# Nouns of organisations whose names go on with "for"/"für"/"pour": "Institute for AI",
# "Lehrstuhl für Optik", "Centre pour l'Emploi", "Zentrum für Pflege".
_ORG_NOUN = re.compile(
    r"(?i:institute|institut|instituto|istituto|center|centre|centrum|zentrum|centro|lehrstuhl"
    r"|chair|gesellschaft|society|foundation|stiftung|fondation|fundación|fondazione|fundação"
    r"|agency|agentur|office|amt|bundesamt|landesamt|ministerium|ministry|ministère|council"
    r"|commission|alliance|association|verein|verband|fund|bureau|coalition|lab|laboratory"
    r"|labor|laboratoire|hospital|klinik|clinic|fakultät|faculty|school|college|academy"
    r"|akademie|schule|department|museum|partnership|network|trust|initiative|programme"
    r"|program|service|services|kanzlei|praxis)"
)
_ORG_GOES_ON = re.compile(
    r"[ \t]+(?:for|für|pour|per|para|voor)[ \t]+(?:(?:the|l['’]|la|le|el|die|den|het|il)[ \t]*)?"
    r"(?-i:[A-ZÀ-Þ][\w&'’-]*(?:\.[\w&'’-]+)*)"
    r"(?:[ \t]+(?:(?-i:[A-ZÀ-Þ][\w&'’-]*(?:\.[\w&'’-]+)*)|and|und|et|&|y|e|en)){0,4}"
)


def _extend_org(text: str, end: int, raw: str) -> str:
    """ "Allen Institute" + " for AI": an organisation's name that goes on after "for"."""
    words = raw.split()
    if not words or not _ORG_NOUN.fullmatch(words[-1]):
        return raw
    more = _ORG_GOES_ON.match(text, end)
    if not more:
        return raw
    tail = _TRAILING_CONNECTOR.sub("", more.group())
    return raw + tail if not has_role_head(tail) else raw


def _cut_short(text: str, end: int) -> bool:
    """Whether a capitalised run went on past where the COMPANY pattern stopped it:
    "Mark Cuban Cost Plus Drug" out of "... Drug Company"; a draft needs the whole name.
    Or on past a slash to the employer: "applying to JavaScript / Ruby Developer at …"
    names a job, where "Quillmark / Berlin" names a firm and a place."""
    return bool(_WORD_GOES_ON.match(text[end : end + 40]) or _JOB_PAST_SLASH.match(text, end))


_WORD_GOES_ON = re.compile(r" (?:[A-Z0-9][\w&'’.-]*)")
_JOB_PAST_SLASH = re.compile(
    r" / [A-Z0-9][\w&'’.+#-]*(?: [\w&'’.+#-]+){0,6}? (?:at|with|bei|chez|bij|presso|en|em) [A-Z]"
)


def _company(
    view: MailView,
    candidates: list[tuple[str, float]],
    signature: list[str],
    text: str,
    display: tuple[str, float],
) -> tuple[str | None, float]:
    """The firm by vote; ``display`` is what ``_display_company`` reads of the sender's name."""
    candidates = list(candidates)
    signed = [_squash(line) for line in signature]
    sender = view.sender
    domain_label = ""
    display_names_ats = False
    platform = False
    if sender:
        platform = _platform_sender(sender)
        relayed = _via_platform(sender.name)
        if relayed:  # "Acme via LinkedIn", "Indeed on behalf of Acme"
            candidates.append((relayed, 3.0))
        value, weight = ("", 0.0) if platform else display
        if (
            not value
            and not platform
            and not is_writable_contact(sender.email, frozenset())
            and person_name(sender.name, sender.email)
            and not _vouched_robot_name(sender, None, view.body)
        ):
            # "Orbital Foods" <noreply@smartrecruiters.com>: a robot sends in the firm's name.
            value, weight = _clean_company(sender.name), 1.5
        if value:
            candidates.append((value, weight))
            # The firm's name signing the mail too ("Brückner Elektrotechnik").
            if _squash(value) in signed:
                candidates.append((value, 1.0))
        # "Workday Recruiting", or signing "Workday Talent Acquisition": the system's own
        # recruiting team, hiring for itself.
        display_names_ats = any(_names_own_team(line) for line in [sender.name, *signature[:3]])
        if not is_ats_domain(sender.domain) and not platform:
            domain_label = _domain_label(sender.domain)
        # One search of the whole mail serves both tests below.
        for_client = _writes_for_client(text)
        if domain_label and (_AGENCY.search(domain_label) or for_client):
            # A recruitment agency writes for its client: its own name is not where the
            # job is, and its domain spells no employer.
            agency = _squash(domain_label)
            candidates = [
                (v, w) for v, w in candidates if not (_squash(v) and _squash(v) in agency)
            ]
            domain_label = ""
        if for_client:
            # "our client", "unser Kunde", "notre client": an agency or search firm writes
            # for an employer; its own name, wherever it stands, is not the company.
            own = {_squash(sender.name), _squash(_domain_label(sender.domain))}
            own |= set(signed)
            candidates = [
                (v, w)
                for v, w in candidates
                if _squash(v) and not any(_squash(v) in o or o in _squash(v) for o in own if o)
            ]
            candidates.extend(_clients(text))
        if platform:
            # A job board writes for the employer that decided; only the mail's own words
            # name it, and never the board itself.
            candidates = [(v, w) for v, w in candidates if not _names_platform(v, sender)]
            board = _squash(_domain_label(sender.domain))
            # not the board signing as itself: "Ihr StellenNetz-Team"
            candidates.extend((v, w) for v, w in _relayed(text) if _squash(v) != board)
    # An ATS or job board sends for an employer; its name is the employer only when it
    # signs as itself ("Workday Recruiting" hiring for Workday).
    candidates = [
        (v, w)
        for v, w in candidates
        if display_names_ats
        or ((" " in v.strip() or not is_ats_domain(_squash(v) + ".x")) and not is_job_platform(v))
    ]
    if domain_label and domain_label not in SHARED_PROVIDERS:
        squashed = _squash(domain_label)
        # A signature line that spells the mail domain ("Grupo Tavira" at grupotavira.es)
        # is the company's own name, with its spaces and accents.  Cleaning only cuts words
        # off a segment's ends, so only one whose letters hold the domain's first three can.
        start = squashed[:3]
        for line, letters in zip(signature[:6], signed[:6], strict=True):
            if start not in letters:
                continue
            for segment in _SIGNATURE_SEGMENTS.split(line):
                value = _clean_company(segment) if start in _squash(segment) else ""
                if value and "@" not in value and _prefix_of(value, squashed):
                    candidates.append((value, 2.5))
        # A sender's name that is its domain's ("Boulangerie Martin" at
        # boulangerie-martin.fr) is the firm's, not a person's.
        if sender and _squash(sender.name) == squashed and not _is_person(sender.name):
            value = _clean_company(sender.name)
            if value:
                candidates.append((value, 3.0))
        spelled = None
        if not any(_spells(v, squashed) for v, _ in candidates):
            spelled = _spelled_in(text, squashed)
        if spelled:
            value = _clean_company(spelled)
            if value:
                candidates.append((value, 2.0))
        boosted = [
            (value, weight + 2.0) for value, weight in candidates if _spells(value, squashed)
        ]
        candidates.extend(boosted)
    if signature:
        # A firm the mail names that a signature line or part names too ("Recruiter,
        # Halcyon Mutual"; "Olivares del Tejo" under the signer's name).
        parts = [seg for line in signature[:6] for seg in _SIGNATURE_SEGMENTS.split(line) if seg]
        # "The Quillpath Recruiting Team", "Orsolo Group HR": the firm's team signs for it
        segments = {_squash(seg) for seg in parts} | {_squash(_clean_company(p)) for p in parts}
        candidates.extend(
            [(v, 1.0) for v, w in candidates if w <= _BODY_WEIGHT and _squash(v) in segments]
        )
    # An institution's whole name: signing last ("Instituto de Ciencias del Mar de
    # Levante"), or, when nothing else names the employer, in the text ("aan de
    # Rijksuniversiteit Veendam"), where it may be a variant of the name read elsewhere.
    closing = [line for line in view.body.strip().splitlines()[-_SIGNATURE_LINES:] if line.strip()]
    signing = signing_institution(closing[-_CLOSING_LINES:])
    if signing:
        candidates.append((signing, _INSTITUTION_WEIGHT))
    elif not candidates:
        named = institutions_named(view.body[:_EXTRACTION_CHARS])
        candidates.extend((name, _NAMED_INSTITUTION_WEIGHT) for name in named)
    candidates = _nominative([(_base_form(v, text), w) for v, w in candidates if v], text)
    candidates = _merge_prefixes(candidates, text, domain_label)
    best, score, total = _vote(candidates)
    return best, _sureness(score, total, _COMPANY_SCALE)


# The tracking systems by name: "Personio Recruiting" <no-reply@…personio…> is not
# always the employer whose mail it carries.
_ATS_FIRMS = frozenset(name.replace("-", "") for name in ATS_NAMES)
# A recruitment agency's or staffing firm's domain, in the seven languages:
# brookvale-recruitment, nordstaffing, hansen-personalberatung, interim-sud, werving-noord,
# agenzia-lavoro-est (not every "agenzia": agenziaentrate hires for itself).
_AGENCY = re.compile(
    r"recruitment|recruiters|staffing|personnel|headhunt|executivesearch|executive-search"
    r"|personalberatung|personaldienst|zeitarbeit|arbeitnehmerueberlassung|interim|uitzend"
    r"|werving|recrutement|reclutamiento|seleccion|recrutamento|selezione|talentsolutions"
    r"|talent-solutions|manpower|outsourcing|agenzia(?:peril)?lavoro|somministr|trabajotemporal"
    r"|trabalhotemporario"
)


# An agency's or search firm's words for the employer it writes for, in the seven
# languages: "our client", "unserem Kunden", "notre client", "nuestro cliente",
# "onze opdrachtgever", "il nostro cliente", "o nosso cliente".
_CLIENT = re.compile(
    r"\b(?:our|my)\s+client\b|\b(?:unserem|unseres|unser)\s+(?:Kunden?|Auftraggebers?|Mandanten?)\b"
    r"|\bunsere\s+(?:Kundin|Auftraggeberin|Mandantin)\b|\bnotre\s+(?:client(?:e)?|mandant)\b"
    r"|\bnuestr[oa]\s+client[ea]\b|\bonze\s+(?:opdrachtgever|klant)\b"
    r"|\bnostr[oa]\s+cliente\b|\bnoss[oa]\s+cliente\b"
    # the client as the one who decided, or whom the agency asked: "the client has
    # decided", "hat sich der Kunde", "el cliente ha decidido", "an unseren Kunden"; never
    # the client an employer serves ("we put the client first", "der Kunde im Mittelpunkt")
    r"|\bthe\s+client\s+(?:has|have|had)\s+(?:now\s+|just\s+)?(?:decided|chosen|opted|come"
    r"|given|provided|fed|confirmed|selected|gone|made|asked|reviewed)\b"
    r"|\bthe\s+client\s+(?:decided|felt|preferred|chose|opted|came|reviewed|went)\b"
    r"|\b(?:with|from)\s+the\s+client\b(?=[,.;]|\s+(?:and|but|who|which|that)\b)"
    r"|\bder\s+Kunde\s+hat\b|\bhat\s+(?:sich\s+)?der\s+Kunde\b|\bvom\s+Kunden\b"
    r"|\ban\s+unseren\s+Kunden\b"
    r"|\b(?:el|il)\s+cliente\s+(?:nos\s+|ci\s+)?(?:ha|han|hanno|decidió|optó|prefirió)\b"
    r"|\bo\s+cliente\s+(?:nos\s+)?(?:deu|decidiu|optou|preferiu|respondeu|retornou|analisou"
    r"|avaliou|escolheu)\b"
    r"|\ble\s+client\s+(?:a|n['’]a)\s+(?:décidé|choisi|retenu|souhaité|préféré|pas|examiné"
    r"|étudié|analysé)\b"
    r"|\ble\s+client\s+(?:souhaite|préfère)\b"
    r"|\bde\s+(?:opdrachtgever|klant)\s+(?:heeft|koos|kiest|gaat)\b"
    # recruiting for a client, in each language's words: "for one of our clients", "pour
    # l'un de nos clients", "per un'importante azienda cliente", "für einen unserer
    # Kunden", "voor een van onze opdrachtgevers"; never a firm's own customers ("our
    # customers", "atendimento ao cliente", "für unsere Kunden")
    r"|\b(?:for|on\s+behalf\s+of)\s+(?:one\s+of\s+)?our\s+(?:\w+\s+){0,2}clients?\b"
    r"|\bfor\s+a\s+(?:\w+\s+){0,2}client\s+(?:of\s+ours|in\s+the)\b"
    r"|\b(?:pour|chez)\s+(?:le\s+compte\s+d['’]|l['’]un\s+de\s+)?(?:nos|notre)\s+(?:\w+\s+){0,2}"
    r"client(?:e|s|es)?\b|\bpour\s+(?:le\s+compte\s+d['’])?un\s+(?:\w+\s+)?client\s+(?:du"
    r"|dans|de\s+la)\b"
    r"|\bpara\s+(?:uno\s+de\s+)?(?:nuestros|nuestras|nuestro)\s+(?:\w+\s+){0,2}client(?:e|es)\b"
    r"|\b(?:empresa|compañía|azienda|società)\s+cliente\b|\bpara\s+un\s+cliente\s+del\s+sector\b"
    r"|\b(?:per|presso)\s+(?:conto\s+di\s+)?(?:un\s+nostro|una\s+nostra|nostr[oa])\s+"
    r"(?:\w+\s+){0,2}client[ei]\b|\brichiest[ie]\s+dal\s+cliente\b"
    r"|\bpara\s+(?:o\s+nosso|a\s+nossa)\s+(?:\w+\s+){0,2}client[ea]s?\b"
    r"|\bpara\s+um\s+cliente\s+do\s+setor\b"
    r"|\bo\s+cliente\s+já\s+(?:concluiu|fechou|finalizou|escolheu|decidiu)\b"
    r"|\b(?:für|bei)\s+(?:einen|eine|einem)\s+unserer\s+(?:Kunden|Mandanten)\b"
    r"|\bim\s+Auftrag\s+(?:eines|unseres|einer|unserer)\s+(?:\w+\s+){0,2}(?:Kunden|Kundin"
    r"|Mandanten|Mandantin)\b"
    r"|\b(?:voor|namens)\s+(?:een\s+van\s+)?onze\s+(?:\w+\s+){0,2}opdrachtgevers?\b"
    r"|\b(?:voor|namens)\s+een\s+opdrachtgever\b",
    re.I,
)
# Every phrase of _CLIENT ends in one of these nouns after white space: found fast (the
# white space is a class the regex engine skips ahead to), they rule most mail out.
_CLIENT_NOUN = re.compile(r"\s(?:client|kund|auftraggeber|mandant|opdrachtgever|klant)", re.I)


def _writes_for_client(text: str) -> bool:
    """Whether an agency's words for its client stand in ``text``: the nouns first, fast."""
    return bool(_CLIENT_NOUN.search(text)) and _CLIENT.search(text) is not None


_CLIENT_NAMED = re.compile(
    rf"(?:{_CLIENT.pattern})[,\s]+(?:(?i:the|la|le|l['’]|el|de|het|der|die|il|a|o)\s+)?{COMPANY}",
    re.I,
)


def _clients(text: str) -> list[tuple[str, float]]:
    """The client an agency names: "for our client Bodegas Ribalta"."""
    found = []
    for match in _CLIENT_NAMED.finditer(text[: _EXTRACTION_CHARS * 2]):
        value = _clean_company(match.group("value"))
        if value and not _PRONOUN.match(value) and value.split()[0][:1].isupper():
            found.append((value, _SUBJECT_WEIGHT))
    return found


# A job board unknown to the list, by its one-word name: a job word glued to a brand
# ("JobsNimbus", "VagasAgora", "HireBrava", "Stellenfuchs", "KarriereHafen").
_BOARD_WORD = (
    r"jobs?|emplois?|empleos?|vagas|vacatures|stellen|karriere|careers?|talents?|hire|hiring"
    r"|vacancies|lavoro|trabalho|werk"
)
_BOARD_NAME = re.compile(rf"^(?:(?:{_BOARD_WORD})[a-z]{{3,}}|[a-z]{{3,}}(?:{_BOARD_WORD}))$")


def _board_name(value: str, sender: Address) -> bool:
    """A one-word display name, or its mail domain, glued of a job word and a brand;
    not when it is the employer's own careers site (the mail's domain spells another name)."""
    name = value.strip().strip("\"'")
    if " " in name or not name:
        return False
    key = _squash(name)
    label = _squash(_domain_label(sender.domain))
    return bool(_BOARD_NAME.match(key)) and (not label or key == label or key in label)


def _platform_sender(sender: Address) -> bool:
    """Whether a job board or portal sends the mail: by its display name or its domain."""
    bare = _PLATFORM_TAIL.sub("", sender.name)
    if is_job_platform(sender.name) or (bare != sender.name and is_job_platform(bare)):
        return True
    if _board_name(sender.name, sender):
        return True
    label = _domain_label(sender.domain)
    return bool(label) and is_job_platform(label)


# A display name that says which board relays it: "Acme via LinkedIn", "Indeed on behalf
# of Acme", "Acme | StepStone".
_PLATFORM_TAIL = re.compile(r"\s+(?:via|through|über|par|por|tramite|door)\s+.+$", re.I)
_VIA = re.compile(
    r"^(?P<a>.+?)\s+(?:via|through|über|par|por|tramite|door|[|])\s+(?P<b>.+)$"
    r"|^(?P<c>.+?)\s+(?:on behalf of|pour|für|para|per|namens|im auftrag von)\s+(?P<d>.+)$",
    re.I,
)


def _via_platform(display: str) -> str:
    match = _VIA.match(display.strip().strip("\"'"))
    if not match:
        return ""
    if match.group("a") and is_job_platform(match.group("b")):
        value = _clean_company(match.group("a"))
    elif match.group("c") and is_job_platform(match.group("c")):
        value = _clean_company(match.group("d"))
    else:
        return ""
    return "" if not value or is_job_platform(value) or _looks_like_person(value) else value


def _names_platform(value: str, sender: Address) -> bool:
    """A candidate that is the sending board's own name: "RippleMatch", "Open" of "Open Hiring"."""
    key = _squash(value)
    display = _squash(_PLATFORM_TAIL.sub("", sender.name))
    return is_job_platform(value) or (
        bool(key) and (key in display or key in _squash(_domain_label(sender.domain)))
    )


# An ATS's or board's own recruiting team: "Workday Recruiting", "Workday Talent Acquisition".
_OWN_TEAM = re.compile(
    r"^(?P<n>[\w.-]+)\s+(?:recruiting|recruitment|talent\s+acquisition|hr|human\s+resources"
    r"|people\s+team|university\s+recruiting|campus\s+recruiting)(?:\s+team)?$",
    re.I,
)


def _names_own_team(line: str) -> bool:
    match = _OWN_TEAM.match(line.strip())
    name = match.group("n") if match else ""
    return bool(name) and (is_ats_domain(_squash(name) + ".x") or is_job_platform(name))


def _prefix_of(value: str, squashed_domain: str) -> bool:
    """A signature segment that is the domain's name, or its start ("Acme" at acmecorp);
    not a line that merely contains it ("Brennan & The Acme Team")."""
    name = _squash(value)
    return len(name) > 2 and squashed_domain.startswith(name)


# A German name declined after a dative or genitive article: "bei der Hanseatischen
# Versicherung", "des Bayerischen Rundfunks"; "Hanseatische Versicherung" is its name.
# By an adjective's ending only: "der Hansen & Brück GmbH" is no declined "Hanse".
_DECLINED = re.compile(
    r"^(?P<stem>[A-ZÄÖÜ]\w+?(?:isch|sch|lich|ig|er|al|ar|iv|ell|ein|ei|ier))en(?=\s)"
)


def _nominative(candidates: list[tuple[str, float]], text: str) -> list[tuple[str, float]]:
    """A declined company name becomes the nominative the mail also uses, else goes."""
    values = {_squash(v): v for v, _ in candidates}
    kept = []
    for value, weight in candidates:
        declined = _DECLINED.match(value)
        if declined and re.search(
            rf"\b(?:der|dem|des|einer|eines|zur|zum|beim|vom)\s+{re.escape(value)}", text
        ):
            nominative = declined.group("stem") + "e" + value[declined.end() :]
            if _squash(nominative) not in values:
                continue  # only the declined form: no name a draft could use
            value = values[_squash(nominative)]
        kept.append((value, weight))
    return kept


def _base_form(value: str, text: str) -> str:
    """ "Amazon's" is Amazon where the mail says Amazon too; "Moody's" stays Moody's."""
    match = _POSSESSIVE.search(value)
    if not match:
        return value
    base = value[: match.start()]
    if re.search(rf"(?<!\w){re.escape(base)}(?![\w’'])", text):
        return base
    return value


def _merge_prefixes(
    candidates: list[tuple[str, float]], text: str = "", domain_label: str = ""
) -> list[tuple[str, float]]:
    """A name the mail also uses in short is that short, base form: "Kodiak Robotics" and
    "Kodiak" are Kodiak; the longer name's votes go to it.  Not when the short one only
    ever stands cut out of the long one ("Acme Drug" of "Acme Drug Company")."""
    values = {v for v, _ in candidates}
    merged = []
    for value, weight in candidates:
        words = value.split()
        shorter = [
            v
            for v in values
            if len(v) >= 3
            and len(v.split()) < len(words)
            and words[: len(v.split())] == v.split()
            and _stands_alone(v, words[len(v.split())], text)
        ]
        merged.append((min(shorter, key=len) if shorter else value, weight))
    # A short name the mail never writes alone is the start of the whole name it does
    # write: "Fernvale" of the sender's name, "Fernvale Bakehouse Collective" in the mail.
    values = {v for v, _ in merged}
    whole = []
    for value, weight in merged:
        words = value.split()
        longer = [
            v
            for v in values
            if len(v.split()) > len(words)
            and v.split()[: len(words)] == words
            and text
            and not _stands_alone(value, v.split()[len(words)], text)
            and re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text)
        ]
        whole.append((max(longer, key=len) if len(longer) == 1 else value, weight))
    return whole


def _stands_alone(short: str, next_word: str, text: str) -> bool:
    """Whether the mail writes ``short`` somewhere not followed by ``next_word``."""
    if not text:
        return True
    pattern = rf"(?<![\w-]){re.escape(short)}(?![\w-])(?![ \t]+{re.escape(next_word)}(?![\w-]))"
    return re.search(pattern, text) is not None


def _title(
    subject: str,
    candidates: list[tuple[str, float]],
    firms: frozenset[str] = frozenset(),
    company: str | None = None,
    late: Iterable[tuple[str, float]] = (),
) -> tuple[str | None, float]:
    # Each tidied before the vote: "Operador(a) de Caixa - Loja Centro" is the same job as
    # "Operador(a) de Caixa", and must not outvote it with its workplace.
    def tidied(found: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
        named = ((v, w) for v, w in found if names_job(v))
        kept = ((_tidy_title(_drop_firm_tail(v, firms), firms), w) for v, w in named)
        return [(v, w) for v, w in kept if v and names_job(v)]

    # The subject's spelling before the late ones: _vote keeps a value's first spelling.
    candidates = [*tidied(candidates), *_subject_titles(subject, firms, company), *tidied(late)]
    # A longer title that goes on from a shorter one ("Data Scientist, Pricing" and
    # "Data Scientist") is the same job said in full; the full one gets both votes.
    merged: list[tuple[str, float]] = []
    squashed = [(v, _squash(v)) for v, _ in candidates]
    # One that goes on with where the job is ("… en Quibdó") is the shorter job.
    for value, weight in candidates:
        key = _squash(value)
        shorter = [v for v, _ in squashed if _where_the_job_is(value, len(v))]
        if any(value.startswith(v) for v in shorter):
            merged.append((min((v for v in shorter if value.startswith(v)), key=len), weight))
            continue
        longer = [
            v
            for v, k in squashed
            if len(v) > len(value)
            and k.startswith(key)
            and not (v.startswith(value) and _where_the_job_is(v, len(value)))
        ]
        merged.append((max(longer, key=len) if longer else value, weight))
    best, score, total = _vote(merged)
    return best, _sureness(score, total, _TITLE_SCALE)


# What a title goes on with when it names where the job is, not more of the job: "Koch
# bei Hamburg", "Serveur à Lyon": one capitalised word ("Ingeniero en sistemas", "PhD
# position in Computational Hydrology" go on with the field).
_WHERE_THE_JOB_IS = re.compile(
    r"\s+(?P<by>en|in|at|à|a|em|na|no|bei|chez|bij|presso|para|op|te)\s+(?P<place>(?-i:[A-ZÀ-Þ])"
    r"[\w'’-]*)$",
    re.I,
)
# "Lecturer in Law", "PhD in Physics", "Ingeniero en Sistemas": a field after these,
# unless the word is a place the gazetteer knows.
_FIELD_AFTER = frozenset("in en em".split())


def _where_the_job_is(value: str, start: int) -> bool:
    where = _WHERE_THE_JOB_IS.match(value, start)
    if not where:
        return False
    return where.group("by").lower() not in _FIELD_AFTER or is_known_place(where.group("place"))


# "Product Manager en QuetzalPay": a title that runs on into the firm hiring for it.
_FIRM_TAIL = re.compile(
    r"\s+(?:at|with|for|bei|der|chez|bij|en|em|na|no|presso|para|sur|@)"
    r"(?:\s+(?:der|dem|den|the|la|le|het|el|il))?\s+(?P<f>[A-ZÀ-Þ].*)$"
)


def _drop_firm_tail(value: str, firms: frozenset[str]) -> str:
    for pattern in (_FIRM_TAIL, _FIRM_PART, _FIRM_IN, _FIRM_AFTER_COMMA):
        tail = pattern.search(value)
        firm = tail and (_squash(tail.group("f")) or "")
        if firm and firm not in firms:
            firm = _squash(_clean_company(tail.group("f")))
        if tail and firm in firms and has_role_head(value[: tail.start()]):
            return value[: tail.start()]
    return value


# "Software Developer - Intern - Acme": the firm as the title's last part.
_FIRM_PART = re.compile(r"\s+[-–—|]\s+(?P<f>[^-–—|]+)$")
# "Progettista meccanico in Meccanica Orobica S.p.A.": "in" before a firm the mail names.
_FIRM_IN = re.compile(r"\s+in\s+(?P<f>[A-ZÀ-Þ].*)$")
# "Head of Finance, Ashgrove Foods": the firm the mail names after a comma.
_FIRM_AFTER_COMMA = re.compile(r",\s+(?P<f>[A-ZÀ-Þ][^,]*)$")


_TITLE_SCALE = 1.0
# A subject whose shape is understood ("Your application: <title>", "Acme - <title>")
# names the job plainly; a bare subject with a role in it a little less so.
_SUBJECT_TITLE_WEIGHT = 1.5
_BARE_SUBJECT_WEIGHT = 1.0
_REPLY_PREFIX = re.compile(r"^(?:(?:re|aw|fw|fwd|wg|tr|rv|r|sv|vs|antw)\s*:\s*)+", re.I)
# What subjects put before the title, in the seven languages: "Your application: ",
# "Thank you for applying to ", "Update on ", "Information zu Ihrer Bewerbung: ",
# "Votre candidature à l'offre ", "Su solicitud de empleo: ", "Processo Seletivo - ".
_SUBJECT_LEAD = re.compile(
    # "Search for Assistant Professor of …", "Hiring for Line Cook": the search, then the post
    r"^(?:(?:search|hiring|recruiting|recruitment|opening|vacancy|call)\s+for\s+"
    r"|(?:important\s+|an\s+)?(?:information|info|update|updates|news|feedback|follow[- ]up"
    r"|status|thank\s+you|thanks|regarding|re|about|concerning|following\s+up)"
    r"(?:\s+(?:on|about|regarding|for|to|from|concerning|of|from))?\s+"
    r"|(?:information|informationen|rückmeldung|neuigkeiten|absage|update|feedback)"
    r"\s+(?:zu|zur|zum|über|bezüglich|auf|für)\s+"
    r"|(?:suite|réponse|retour|concernant|information|informations|mise\s+à\s+jour)"
    r"(?:\s+(?:à|a|sur|de|concernant))?\s+"
    r"|(?:respuesta|sobre|actualización|información|novedades)(?:\s+(?:a|sobre|de))?\s+"
    r"|(?:terugkoppeling|reactie|update|informatie)(?:\s+(?:op|over|van))?\s+"
    r"|(?:esito|riscontro|aggiornamento|aggiornamenti)(?:\s+(?:sulla|della|sulla\s+tua|su))?\s+"
    r"|(?:retorno|resposta|atualização|atualizacao)(?:\s+(?:sobre|da|do|de))?\s+"
    r"|(?:the\s+|a\s+|an\s+)?(?:(?:your|ihre[rnm]?|deine[rnm]?|votre|ta|tu|su|sua|uw|je|jouw"
    r"|la\s+tua|la\s+sua|a\s+sua|a\s+tua|o\s+seu)\s+)"
    r"(?:(?:recent|recente|récente|reciente|(?-i:[A-Z0-9])[\w&.'’-]*)\s+(?=(?:job\s+"
    r"|internship\s+)?(?:application|submission|candidacy|bewerbung|candidature|candidatura"
    r"|sollicitatie|solicitud)\b))?"
    r"|(?:job\s+|internship\s+|online\s+)?(?:application|applications|applying|applied"
    r"|submission|candidacy|interest|bewerbung|kandidatur|candidature|candidatura|candidaturas"
    r"|sollicitatie|kandidatuur|postulación|postulacion|solicitud(?:\s+de\s+empleo)?"
    r"|(?:processo|proceso|process|processus|procedimiento)(?:\s+(?:seletivo|de\s+selección"
    r"|de\s+seleccion|di\s+selezione|de\s+recrutement|de\s+sélection))?"
    r"|selectieprocedure|auswahlverfahren|vacature|vacancy|stellenangebot|stelle|offre"
    r"|poste|puesto|vacante|vaga|posizione|job\s+opening|opening|position|role)(?!\w)"
    r"(?:\s+(?:status|update|received|recibida|reçue))*"
    r"(?:(?:\s+|(?<=['’]))(?:(?:for|to|as|in|with|at|als|für|auf|um|zur|zum|pour|au|à|a|de"
    r"|para|al|per|come|voor|op|van|the|our|a|an|das|die|den|le|la|el|o|ao|à|na|no|en"
    r"|position|role|poste|offre|stelle|position|puesto|vacante|vaga|cargo|functie|vacature"
    r"|posizione|ruolo|of|de\s+la|in\s+qualità\s+di|en\s+tant\s+que|como|di|da|do|della"
    r"|del)(?!\w)"
    r"|[dl]['’](?=\w)))*\s*[:–—-]?\s*"
    r"|(?:thank\s+you|thanks)\s+for\s+(?:applying|your\s+(?:application|interest))"
    r"(?:\s+(?:to|for|in|with|at|the|our|a|an))*\s+)+",
    re.I,
)
# What subjects put after it: "Software Engineer - application update",
# "Supply Chain Analyst APPLICATION".
_SUBJECT_TAIL = re.compile(
    r"(?:\s+(?:job\s+)?(?:application|applications|candidacy|submission|bewerbung|candidature"
    r"|candidatura|sollicitatie|postulación|solicitud|decision|update|status))+$",
    re.I,
)
_SUBJECT_SPLIT = re.compile(r"\s+[-–—|:]\s+|\s*[|]\s*|:\s+|\s+[-–—]$|^[-–—]\s+")
# A number glued to the title's last word: "Case Management-242004219", "Engineer I-211299";
# a short code before it is the number's own ("R-88535", "JR-1044").
_GLUED_NUMBER = re.compile(
    r"(?:(?<=[A-Za-z]{3})|(?<=\bI)|(?<=\bII)|(?<=\bIII)|(?<=\bIV))-(?=[A-Z]{0,4}\d{4,})"
)


def _subject_part(part: str, firms: frozenset[str]) -> str:
    """A subject's part without its lead, its tail, its firm and its numbers."""
    value = part.strip()
    if any(map(str.isdigit, value)):  # reference numbers, like requisitions, have digits
        value = _REF_NUMBER.sub("", value)
        value = _GLUED_NUMBER.sub(" ", _TITLE_NOISE[1].sub("", value))
    value = " ".join(_drop_requisitions(value, "()#,."))
    for _ in range(3):
        before = value
        value = _SUBJECT_LEAD.sub("", value).strip(" .!,")
        value = _SUBJECT_TAIL.sub("", value).strip(" .!,")
        words = value.split()
        # A firm leads the part only if its squashed name starts the squashed part.
        squashed = _squash(value)
        if any(squashed.startswith(firm) for firm in firms):
            for size in range(min(4, len(words) - 1), 0, -1):
                if _squash(" ".join(words[:size])) in firms:  # "Merck 2018 Data Scientist Intern"
                    value = _LEAD_CONNECTOR.sub("", " ".join(words[size:]))
                    break
        if value == before:  # nothing more to take off
            break
    tail = _FIRM_TAIL.search(value)
    if tail and (_squash(tail.group("f")) in firms or tail.group().split()[0].lower() in _AT_WORDS):
        value = value[: tail.start()]
    value = _LEAD_ARTICLE.sub("", _without_procedure(value.strip()))
    return "" if "@" in value else value


# The words of a selection procedure that subjects put before the title, in the seven
# languages: "Uitslag selectieprocedure beleidsadviseur", "Selezione pubblica per
# Istruttore", "Convocatoria técnico/a", "Resolución provisional - Contrato predoctoral".
_PROCEDURE_WORDS = frozenset(
    "vacancy post position role job recruitment selection campaign competition open"
    " stellenausschreibung ausschreibung stelle bewerbung initiativbewerbung auswahlverfahren"
    " berufungsverfahren bewerbungsverfahren stellenbesetzungsverfahren besetzungsverfahren"
    " poste offre candidature recrutement concours sélection spontanée campagne"
    " convocatoria resolución provisional definitiva proceso oferta vacante puesto bolsa plaza"
    " empleo oposición concurso selección"
    " selezione pubblica esito bando avviso pubblico concorso posizione offerta candidatura"
    " seleção processo seletivo selectivo vaga procedimento concursal comum resultado"
    " terugkoppeling vacature uitslag selectieprocedure sollicitatieprocedure procedure"
    " wervingsprocedure sollicitatie reactie functie opdracht"
    # the interview or the trial the subject is about: "Proefles docent wiskunde"
    " interview entretien entrevista colloquio gesprek sollicitatiegesprek proefles proefdag"
    " vorstellungsgespräch probetag probearbeit assessment".split()
)
_PROCEDURE_LINKS = frozenset("de del d' per para op for of als für zur zum à a al pour di".split())
# "Resultado do desafio técnico": what follows the procedure is no title when it starts so.
_ARTICLES_AND_LINKS = _PROCEDURE_LINKS | frozenset(
    "do da dos das du des der die das dem den het the el la le les il lo o os as".split()
)
# What a subject's part after the title starts with when it is the procedure's reference:
# "– bando n. 12/2026", "- Kennziffer 2024/117", "– expediente 88".
_REFERENCE_PART = re.compile(
    r"^(?i:bando|expediente|ref\b|referencia|référence|riferimento|referência|kennziffer"
    r"|kennzahl|kennz\b|vacaturenummer|vacature|aviso|avviso|convocatoria|concurso|concorso"
    r"|n[º°.])"
)


def _without_procedure(value: str) -> str:
    """A subject's part without the procedure's words before the title, when a title is
    what remains: "Esito selezione assegno di ricerca" is about the "assegno di ricerca"."""
    words = value.split()
    lead = 0
    while lead < len(words) and (
        words[lead].lower().strip(":,") in _PROCEDURE_WORDS
        or (lead and words[lead].lower() in _PROCEDURE_LINKS)
    ):
        lead += 1
    if 0 < lead < len(words) and words[lead].lower() not in _ARTICLES_AND_LINKS:
        rest = " ".join(words[lead:])
        # still a job after the procedure's last word: "colloquio tecnico" is an interview
        in_context = names_job(" ".join(words[lead - 1 :]))
        if names_job(rest) and in_context and not names_job(" ".join(words[:lead])):
            return rest[:1].upper() + rest[1:] if rest[:1].islower() else rest
    return value


_LEAD_ARTICLE = re.compile(
    r"^(?:(?:the|a|an|our|this|le|la|el|der|die|das|het|il|lo)\s+|l['’]\s*)(?=(?-i:[A-ZÀ-Þ]))",
    re.I,
)
_LEAD_CONNECTOR = re.compile(r"^(?:for|as|to|als|für|pour|para|per|voor|como|come)\s+", re.I)
# Words that put a firm after a title in a subject: "Data Analyst at Acme".
_AT_WORDS = frozenset("at bei chez bij presso sur @".split())


def _subject_titles(
    subject: str, firms: frozenset[str] = frozenset(), company: str | None = None
) -> list[tuple[str, float]]:
    """The title a subject names: "Your application: Data Analyst", "Acme - Data Analyst",
    "Data Analyst at Acme", "Acme | Backend Engineer (m/w/d)", "Update on Data Analyst",
    "Sollicitatie front-end developer", "Re: Analyst (Req 1234)"."""
    rest = _REPLY_PREFIX.sub("", subject).strip()
    shaped = bool(_SUBJECT_LEAD.match(rest))
    raw_parts = [p for p in _SUBJECT_SPLIT.split(rest) if p and p.strip()]
    parts = [_subject_part(p, firms) for p in raw_parts]
    shaped = shaped or len(parts) > 1
    title: list[str] = []
    for part in parts:
        if not part:
            if title:
                break
            continue
        if _squash(part) in firms:
            if title:
                break
            continue
        sentence = _SENTENCE.search(part) or _STATUS_WORDS.search(part)
        if not title:
            if names_job(part) and not sentence and len(part.split()) <= 10:
                title.append(part)
            continue
        # What follows the title: another role part, or a qualifier ("- Case Management",
        # "- entry level"); a capitalised one only when the mail names the firm otherwise,
        # since it could be the firm ("Data Analyst - Acme").
        if (
            sentence
            or _aside(part)
            or _REGION_PART.match(part)
            or _TEAM_PART.match(part)
            or len(part.split()) > 6
        ):
            break
        known = company is not None and not _squash(company).startswith(_squash(part))
        if not any(map(str.isalpha, part)):
            break  # "- Vaga 7731" once its word is gone: a number, no part of the title
        if has_role_head(part) or part[:1].islower() or part[:1].isdigit() or known:
            title.append(part)  # (the stems: "- Baker Hughes" is a firm, not a baker)
            continue
        break  # "Head of Marketing - Orchard & Vine": the firm, or a team; the title stops
    if not title:
        return []
    value = _clean_title(" - ".join(title))
    if not value or not names_job(value):
        return []
    return [(value, _SUBJECT_TITLE_WEIGHT if shaped else _BARE_SUBJECT_WEIGHT)]


# A letter's reference line, which names the post as a subject does: "Re: Job 2300871 -
# Geotechnical Engineer II", "Betreff: Ausschreibung 09/2026 - Referent IT-Sicherheit".
_REFERENCE_LINE = re.compile(
    r"^[ \t]*(?:re|betreff|betrifft|objet|asunto|oggetto|assunto|onderwerp|subject)[ \t]*:"
    r"[ \t]*(?P<rest>\S[^\n]*)$",
    re.I | re.M,
)
_REFERENCE_LINES = 1200  # a letter's reference stands at its head


def _reference_titles(
    body: str, firms: frozenset[str], company: str | None
) -> list[tuple[str, float]]:
    """The titles a letter's reference lines name, read as subjects are."""
    found = []
    for line in _REFERENCE_LINE.finditer(body[:_REFERENCE_LINES]):
        found.extend(_subject_titles(line.group("rest"), firms, company))
    return found


# Words that make a span a sentence, not a title.
_SENTENCE_WORDS = (
    "we you your our has have been was were is are thank thanks update regarding"
    " status wir sie ihre nous vous votre nosotros su uw je wij message from von next"
    " steps decision outcome notification appreciate received"
).split()
_SENTENCE = re.compile(rf"\b{alternation(_SENTENCE_WORDS)}\b", re.I)


# Where a title's run of dash-joined parts stops: a part that is the mail talking, not
# the job ("Data Engineer – Rückmeldung", "Analyst | Your application").
_NOT_TITLE_WORDS = (
    "application|applications|update|feedback|status|decision|thank|thanks|your|our"
    "|rückmeldung|absage|bewerbung|ihre|deine|candidature|réponse|votre|sollicitatie|reactie"
    "|uw|je|candidatura|solicitud|postulación|respuesta|tu|su|sua|esito|riscontro|retorno"
    "|resposta|at|bei|chez|bij|en|em|presso|next steps|outcome|result|results|notification"
    "|entscheidung|résultat|resultado|actualización|terugkoppeling|uitslag|aggiornamento"
    "|atualização|processo seletivo|proceso de selección|selection process"
).split("|")
_NOT_TITLE_PART = re.compile(rf"\b{alternation(_NOT_TITLE_WORDS)}\b", re.I)
# The hours as a dash's part after the title: "Cajero/a - jornada parcial".
_HOURS_PART = re.compile(
    r"(?i:(?:full|part)[- ]?time|teilzeit|vollzeit|temps\s+(?:partiel|plein)|mi-temps"
    r"|(?:media\s+)?jornada(?:\s+(?:parcial|completa|intensiva))?|tiempo\s+(?:parcial|completo)"
    r"|deeltijd|voltijd|tempo\s+(?:parziale|pieno|parcial|integral)|part-?time|meio\s+período"
    r"|período\s+integral|fins?\s+de\s+semana|weekends?|wochenende"
    # and the contract: "Maatschappelijk werker - contractueel"
    r"|contractueel|statutair|tijdelijk|vast|cdd|cdi|befristet|unbefristet|temporary|permanent"
    r"|fixed[- ]term|temporal|indefinido|interino|a\s+termo|tempo\s+(?:in)?determinato)"
)
# A unit's or a pay scale's code as a dash's part: "- UMR 7742", "- B1-B3".
_CODE_PART = re.compile(
    r"[A-Z]{2,6}[\s-]?(?!(?:19|20)\d\d\b)\d{3,}[A-Z]?|[A-Z]\d{1,2}\s*[-/]\s*[A-Z]\d{1,2}"
)
# The same without the words that put a firm after a title ("at", "bei", "en").
_FIRM_AFTER_WORDS = frozenset("at bei chez bij en em presso".split())
_STATUS_WORDS = re.compile(
    rf"\b{alternation(w for w in _NOT_TITLE_WORDS if w not in _FIRM_AFTER_WORDS)}\b", re.I
)
# Parts of a title line: around a spaced dash or bar, or an en or em dash glued to a
# capitalised word ("Progettista meccanico–Milano"; a hyphen joins words instead).
_TITLE_PARTS = re.compile(r"\s+[-–—|]\s+|(?<=\w)[–—](?=[A-ZÀ-Þ])")
# What the job's terms add after its name: the hours ("(32-36 uur)", "(20 Std./Woche)",
# "(30 h)") or a workload ("80-100%", "(60 %)").  A season or a year stays: "Intern,
# Summer 2027" names the job.
_TERMS_TAIL = re.compile(
    r"\s*(?:\(\s*\d[^()]*?(?:uur|u|std|stunden|h|hrs|hours|heures|horas|ore|%)\b[^()]*\)"
    r"|(?:\s(?:à|a|al|zu|at|au))?\s*\(?\d{1,3}(?:\s*[-–]\s*\d{1,3})?\s*%\)?)\s*$",
    re.I,
)
# The day of an interview or a committee after the title: "on 2 December", "am 3. März",
# "le 12 novembre", "el 4 de mayo", "il 5 giugno", "op 6 mei", "em 7 de abril".
_DATE_TAIL = re.compile(
    r"\s+(?:on|held\s+on|dated|am|vom|le|du|el|del|il|op|em|de)\s+(?:the\s+)?\d{1,2}"
    r"(?:st|nd|rd|th|er|\.|º)?\s+(?:de\s+|of\s+)?"
    + alternation(MONTH_NAMES)
    + r"(?:\s+(?:de\s+)?\d{4})?\s*$"
    # what a sentence's cut at "3." leaves of "am 3. März"
    + r"|\s+(?-i:am|vom)\s+\d{1,2}$",
    re.I,
)
# Where the team or the place begins after a title, in each language: "au sein de",
# "basé à", "im Bereich", "in het team", "nel team", "en el equipo", "na equipa".
_CONTEXT_TAIL = re.compile(
    r"\s+(?:au\s+sein\s+d|basée?s?\s+(?:à|a|en)\s|im\s+(?:Bereich|Team|Raum)\s"
    r"|in\s+(?:het|ons)\s+team\b|nel(?:la)?\s+(?:team|nostr[ao])\b|en\s+(?:el|nuestro)\s+equipo\b"
    r"|n[ao]\s+(?:equipa|nossa|nosso)\b|dans\s+(?:l['’]équipe|notre)\b|based\s+in\s"
    r"|within\s+(?:the|our)\s)",
    re.I,
)
# A title that runs on into the next sentence: "Data Analyst. We", "Scripps Health. After".
_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")
_STATUS = re.compile(
    r"\s*\((?:open|closed|evergreen|remote|hybrid|on-?site|contract|temporary|temp|permanent"
    r"|full[- ]time|part[- ]time|fixed[- ]term|cdi|cdd|befristet|unbefristet|vollzeit|teilzeit"
    # The contract, in the seven languages: "(interinidad)", "(maternity cover)", "(CDD 6 mois)".
    r"|interinidad|interino|interina|sustitución|suplencia|temporal|indefinido|eventual"
    r"|maternity\s+cover|parental\s+leave\s+cover|locum|secondment|intérim|interim"
    r"|remplacement|vacataire|contractuel(?:le)?|alternance|elternzeitvertretung"
    r"|vertretung|minijob|tijdelijk|vast|invalkracht|tempo\s+(?:in)?determinato"
    r"|sostituzione\s+maternità|a\s+termo|termo\s+certo|efetivo|temporário|estágio"
    r"|bolsa|beca|borsa|grant|stipendium"
    r"|(?:cdd|cdi|contrato|contratto|vertrag|contract)\b[^()]*)\)",
    re.I,
)
_WHERE_AFTER = re.compile(
    r"\s+\(?(?i:wfh|remote|hybrid|on-?site|onsite)\)?(?:\s+[A-Z][\w.-]*)*,?(?:\s+[A-Z]{2})?$"
)
_UNCLOSED = re.compile(r"\s*\([^)]*$")
# A bracketed note of four words or more after the title: "agent des espaces verts (cadre
# d'emplois des adjoints techniques territoriaux)".
_LONG_ASIDE = re.compile(r"\s*\((?-i:[a-zà-ÿ])(?:[^()\s]+\s+){3,}(?-i:[^()A-ZÀ-Þ])*\)$")
# When the job is worked, after it: "vendeur/vendeuse le week-end", "Aushilfe am Wochenende".
_WHEN_TAIL = re.compile(
    r"\s+(?i:(?:le|les|am|los|nel|in\s+het|aos|(?:at|on|in)(?:\s+the)?|the|durante\s+el"
    r"|no|na)\s+)?"
    r"(?i:week-?ends?|wochenende|fines?\s+de\s+semana|fins?\s+de\s+semana)$"
)
_ACRONYM = re.compile(r"\s*\(([A-ZÀ-Þ]\.?){2,7}\)$")


def _without_own_acronym(value: str) -> str:
    """The title without its own initials after it: "Assistente di Studio Odontoiatrico
    (ASO)"; "Consultant (SAP)" keeps what the initials add."""
    found = _ACRONYM.search(value)
    if not found:
        return value
    letters = [c for c in found.group().upper() if c.isalpha()]
    words = [w[0].upper() for w in value[: found.start()].split() if w[:1].isalpha()]
    initials = iter(words)
    # the whole title's, from its first word: not "Amazon Warehouse & Distribution (AWD)"
    # after "Data Analyst, "
    own = bool(words) and words[0] == letters[0] and all(c in initials for c in letters)
    return value[: found.start()] if own else value


# A reference number in brackets or after its word: "(Ref HL-0419)", "(Réf. 2024-118)",
# "Kennziffer 4711", "(vacaturenummer 2231)", "código: AX-12".
_REF_WORDS = (
    r"(?:ref(?:erence|erenz|erenznummer)?|réf(?:érence)?|kennziffer|kennz|stellen-?id"
    r"|vacature-?nummer|vacaturenr|código|codigo|cód|cod|rif(?:erimento)?|code|job\s*id"
    r"|req(?:uisition)?|job\s*(?:number|no|nr)|vacancy\s*(?:number|no|id)|id|n[°º]|nr|no)"
)
_REF_NUMBER = re.compile(
    rf"\s*[(\[]\s*{_REF_WORDS}\.?\s*[:#]?\s*[\w./-]*\d[\w./-]*\s*[)\]]"
    rf"|\s*[-–,|]?\s*\b(?:ref(?:erence|erenz|erenznummer)?|réf(?:érence)?|kennziffer|kennz"
    rf"|vacature-?nummer|código|codigo|rif(?:erimento)?|recruitment(?=\s*#))\b\.?\s*[:#]?\s*"
    rf"[\w./-]*\d[\w./-]*",
    re.I,
)
# Words that say "the job" after its title: "the Data Analyst role".
_JOB_NOUNS = frozenset(
    "role position opening vacancy job posting opportunity req requisition poste stelle"
    " position puesto vacante vacature functie posizione vaga search recruitment aqui"
    " here hiring".split()
)
_TRAILING_BRACKET = re.compile(r"\s*\(([^()]*)\)\s*$")


# A requisition code glued to the title's last word by hyphens: "Internship-SRC-TECUI-
# Collegiate", "Analyst-NYC-FT", "Entwickler-ITX24": capitals or letters with digits,
# never a roman numeral ("Engineer-II").
_CODE_TAIL = re.compile(
    r"(?<=[a-zà-ÿ]{3})-(?!(?:I{1,3}|IV|VI{0,3}|IX|X)(?![\w-]))"
    r"(?:(?:[A-Z]{2,}[A-Z0-9]*|[A-Z]*\d+[A-Z][A-Z0-9]*)(?:-[\w]+)+"
    r"|[A-Z]+\d{2,}[A-Z0-9]*|\d{2,}[A-Z]+[A-Z0-9]*)(?![\w-])"
)
# A country's or region's abbreviation ending a title's qualifier: "Intern, Summer 2027 U.S.",
# "Data Analyst - UK", "Berater, DACH".
_COUNTRY_CODE = re.compile(
    r"(?P<sep>\s*,\s*|\s+[-–—]\s+|\s+)\(?(?:U\.S\.A\.?|U\.S\.?|USA|US|U\.K\.?|UK|EMEA|APAC"
    r"|LATAM|DACH)\)?$"
)
# A job family or a hiring channel before the title: "Information Technology - ",
# "Campus - ", "Vertrieb – ", "Informatique - ", "Tecnología - ". Words of departments and
# channels in the seven languages; a segment made of them alone is no part of the job.
_CATEGORY_WORDS = frozenset(
    # en
    "information technology technologies tech it ict engineering software hardware finance"
    " financial accounting marketing sales operations hr human resources legal compliance"
    " product design research development r&d customer service services success support"
    " logistics supply chain manufacturing production administration procurement purchasing"
    " corporate business digital security infrastructure quality retail communications"
    " media creative risk audit tax treasury strategy facilities maintenance campus"
    " university college early careers career experienced professional professionals"
    " hire hires hiring students summer winter spring fall autumn"
    # de
    " informatik technik vertrieb einkauf logistik produktion finanzen finanzwesen"
    " personal personalwesen forschung entwicklung verwaltung recht kundenservice"
    " kundendienst qualitätssicherung qualität instandhaltung buchhaltung rechnungswesen"
    " sommer frühling herbst"
    # fr
    " informatique technique finances logistique ressources humaines ventes achats"
    " juridique recherche développement qualité été hiver printemps automne université"
    # es
    " tecnología informática finanzas logística ventas compras recursos humanos"
    " producción administración calidad mantenimiento investigación desarrollo"
    " operaciones verano invierno primavera otoño universidad"
    # nl
    " techniek financiën financien logistiek verkoop inkoop productie onderhoud kwaliteit"
    " klantenservice zomer lente herfst"
    # it
    " informatica tecnologia amministrazione vendite logistica produzione risorse umane"
    " acquisti qualità manutenzione ricerca sviluppo finanza estate inverno autunno"
    # pt
    " ti informação informacao finanças financas vendas produção qualidade manutenção"
    " pesquisa desenvolvimento verão verao outono".split()
)
_CATEGORY_JOINERS = frozenset(
    "and & und et y e en de da do della di of the / + des du la van der".split()
)


def _category(segment: str) -> bool:
    """Whether a title's dash-split segment only names a job family or hiring channel."""
    words = [w.strip("(),.:").lower() for w in segment.split()]
    words = [w for w in words if w]
    if not words or len(words) > 5:
        return False
    named = [w for w in words if w not in _CATEGORY_JOINERS and not _YEAR.fullmatch(w)]
    return bool(named) and all(w in _CATEGORY_WORDS for w in named)


def _cut_places(value: str) -> str:
    """Drop where the job is from a title's end: "(San Francisco)", ", Austin, TX"."""
    for _ in range(3):
        bracket = _TRAILING_BRACKET.search(value)
        if bracket and is_place(bracket.group(1)) and has_role_head(value[: bracket.start()]):
            value = value[: bracket.start()].strip(" -–,:")
            continue
        break
    for comma in [i for i, char in enumerate(value) if char == ","]:
        head, tail = value[:comma], value[comma + 1 :]
        if has_role_head(head) and is_place(tail):
            return head.strip(" -–,:")
    code = _COUNTRY_CODE.search(value)
    if code and has_role_head(value[: code.start()]):
        head = value[: code.start()]
        # Right after a comma or a dash, or ending a qualifier that follows one.
        if code.group("sep").strip() or _COMMA_OR_DASH.search(head):
            return head.strip(" -–,:")
    return _cut_bare_place(value)


# A region's word before a place: "Gerente de Ventas Zona Bajío", "Verkäufer Raum Köln".
_REGION_WORD = re.compile(
    r"^(?:zona|región|region|regione|regio|raum|großraum|grossraum|gebiet|bezirk|area|área"
    r"|provincia|província|provincie|province|secteur|territory|territorio)\s+",
    re.I,
)


def _cut_bare_place(value: str) -> str:
    """Drop a known place said after the title with no mark before it: "Filiaalmanager
    Zwolle", "Export Sales Manager Middle East".  Only when the word before it is the
    occupation itself, or a region's word leads the place, and the lists know the place
    as a whole: an unknown capitalised word there is as often the team."""
    words = value.split()
    for size in (3, 2, 1):
        if len(words) <= size:
            continue
        head, tail = words[:-size], " ".join(words[-size:])
        region = _REGION_WORD.match(tail)
        place = tail[region.end() :] if region else tail
        ends_in_head = has_role_head(head[-1]) or bool(region and has_role_head(" ".join(head)))
        if ends_in_head and place[:1].isupper() and is_known_place(place):
            return " ".join(head)
    return value


_COMMA_OR_DASH = re.compile(r",\s|\s[-–—]\s")
# The noun of the job before its title: "vaga de Desenvolvedor", "função de Enólogo".
_LEAD_JOB_NOUN = re.compile(
    r"^(?:(?:vaga|função|funcao|posição|posicao|cargo|posizione|ruolo|puesto|vacante|posición"
    r"|posicion|poste|functie|vacature|position|role)\s+(?:de|di|da|do|d['’]|del|della|van"
    r"|als|como|come|of|as)\s+(?=\S)"
    # a Latin American posting's "Búsqueda": "Búsqueda Ayudante de Enología"
    r"|(?:búsqueda|busqueda)\s+(?=(?-i:[A-ZÀ-Þ])))",
    re.I,
)
# A title that runs on into whose job it is: "Gerente de Loja do nosso cliente",
# "Contrôleur de gestion pour notre client", "for our client".
_CLIENT_TAIL = re.compile(
    r"\s+(?:d[oae]|del|della|di|de|des|du|of|for|pour|para|per|van|voor|für|bei|bij)\s+"
    r"(?:(?:il|o|a|la|le|el|the|de|het|unseres?|unserem)\s+)?(?:nosso|nossa|nuestro|nuestra|nostro"
    r"|nostra|notre|nos|our|my|unser\w*|onze|ons|mon|mio)\s+\w+.*$",
    re.I,
)
_LEAD_POSSESSIVE = re.compile(r"^(?:[A-Z][\w&.-]*\s+){0,3}[A-Z][\w&.-]*['’]s\s+")


def _requisition(token: str) -> bool:
    """ "JR-0090067", "R2412709", "22WD64572", "2020-45452": a number, not a word; a
    plain year stays ("2024 Summer Intern")."""
    digits = sum(map(str.isdigit, token))
    if digits < 3 or _PLAIN_YEAR.fullmatch(token):
        return False
    return digits >= 5 or any(c.isalpha() for c in token)


_PLAIN_YEAR = re.compile(r"(?:19|20)\d\d")


def _drop_requisitions(value: str, strip: str) -> list[str]:
    """The words of ``value`` less requisition numbers; most titles have no digit at all."""
    words = value.split()
    if not any(map(str.isdigit, value)):
        return words
    return [w for w in words if not _requisition(w.strip(strip))]


# A pay grade ending a title: "Entgeltgruppe 13 TV-L", "EG 9a TVöD", "A13", "Band 6",
# "Grade 7", "schaal 10", "BesGr. A 12", "Scale 4".
_PAY_SCALES = (
    r"Entgeltgruppe|Entgeltgr\.|Besoldungsgruppe|BesGr\.?"
    r"|Vergütungsgruppe|Verg\.?\s*Gr\.?|TVöD|TV-?ÖD|TV-L|TV-H|TV-V|TVÜ|AVR|BAT"
)
_PAY_GRADE = re.compile(
    rf"\s*[-–,(|]?\s*(?:\b(?:{_PAY_SCALES})\b.*"
    r"|\b(?:EG|E|A|W|Band|Grade|Pay\s+Grade|Scale|schaal|salarisschaal|Stufe)\s?\d{1,2}[a-z]?\b"
    r"(?:\s*(?:TV-?\w+|TVöD|\+|bis|to|[-–/]\s*\d{1,2}[a-z]?))*\)?)\s*$"
)
# A civil service grade in brackets after the title: "Policy Adviser (HEO)", "(AO/EO)".
# German pay grades in brackets lead their terms: "(E 13, 65 %)", "(A 11 / A 12)".
_CIVIL_GRADE = re.compile(
    r"\s*\((?:(?:AA|AO|EO|HEO|SEO|G6|G7|SCS\s?\d?)(?:\s*/\s*(?:AO|EO|HEO|SEO))?"
    r"|(?:Higher\s+|Senior\s+)?Executive\s+Officer|Administrative\s+(?:Officer|Assistant)"
    r"|Band\s?\d{1,2}[a-z]?|Grade\s?\d{1,2}[a-z]?|(?:EG|E|A|W)\s?\d{1,2}[a-z]?\b[^()]*"
    # France's and Italy's categories: "(catégorie C)", "(cat. D)", "(categoria B)"
    r"|(?i:catégorie|categorie|categoria|cat\.)\s?[A-D]\d?"
    # England's teachers' pay ranges: "(MPS/UPS)", "(MPS + TLR 2b)"
    r"|(?:MPS|UPS|TLR)(?:\s*[/+]\s*(?:MPS|UPS|TLR))*(?:\s?\d[a-c]?)?)\)(?=[\s,]|$)"
)
# The unit after a comma: "Epidemiologist I, Department of Public Health".
_UNIT_TAIL = re.compile(
    r",\s*(?i:(?:recruitment|recruiting|hiring|application)$"  # "Epidemiologist I, Recruitment"
    r"|department\b|dept\b\.?|division\b|directorate\b|abteilung\b|direction\b"
    r"|departamento\b|dipartimento\b|afdeling\b).*$"
)
# A pay grade has a digit or names its scale; this finds the names fast (no ``\b`` to try
# at every character), so a title with neither skips _PAY_GRADE.
_PAY_SCALE = re.compile(_PAY_SCALES)


def _cut_pay_grade(value: str, numbered: bool) -> str:
    """``value`` without the pay grade that ends it; ``numbered``: it may have a digit."""
    return _PAY_GRADE.sub("", value) if numbered or _PAY_SCALE.search(value) else value


# Where the job is, after "in": "Projektingenieurin in Kassel", "Sachbearbeiter in Teilzeit";
# a place the list knows, a work mode, or a town's name by its ending ("-hausen", "-dorf").
_IN_PLACE = re.compile(
    r"\s+(?:in|im|à|a|en|em|no|na|te|in\s+der|in\s+the)\s+(?P<p>[A-ZÀ-Þ][\w'’.-]*"
    r"(?:\s+(?:am|an|de|la|del|sur)?\s*[A-ZÀ-Þ][\w'’.-]*)?)\s*$"
)
_TOWN_ENDING = re.compile(
    r"\w{2,}(?:burg|berg|hausen|heim|dorf|stadt|furt|feld|hagen|born|bach|brück|brücken"
    r"|ingen|rode|stein|wald|kirchen|hafen|dam|wijk|veen|hoven|drecht|ville|bourg)$"
)
_WORK_TIME = frozenset("vollzeit teilzeit voltijd deeltijd".split())
# A part of a subject that names a region or a site: "Zona Norte", "Région Sud",
# "Standort Nord", "Regio Oost".
# A part that names the team or the unit the job is in: "équipe Risques", "Team Payments",
# "Laboratorio di Robotica".
_TEAM_PART = re.compile(
    r"^(?:équipe|equipe|equipa|equipo|squadra|team|abteilung|afdeling|bereich|département"
    r"|departamento|dipartimento|department|laboratoire|laboratorio|laboratório|laboratory"
    r"|labor|lab|faculté|facultad|facoltà|faculdade|faculty|lehrstuhl|grupo|gruppo|groupe"
    r"|arbeitsgruppe|research group)\s+(?:(?:de|du|des|da|do|di|of|für|van)\s+)?(?-i:[A-ZÀ-Þ])"
    # a ward or a unit by its number: "Staff Nurse - Ward 12", "- Station 4B", "- Unit 3"
    r"|^(?:ward|unit|station|reparto|unidad|unité|afdeling)\s+\d+[a-z]?\b"
    # a hospital's service: "Enfermeiro/a - Serviço de Urgência"
    r"|^(?:service|servicio|serviço|servizio)\s+(?:(?:de|du|des|da|do|di|del|della|of)\s|d['’])"
    # a ward or a unit by its name: "Staff Nurse - Respiratory Ward", "- Stroke Unit"
    r"|^(?:(?-i:[A-Z])[\w&'-]*\s+){1,3}(?:ward|unit)$",
    re.I,
)
# A pay band before the title: "Band 5 Staff Nurse", "Grade 7 Policy Lead".
# ("Grade 3 Teacher" is a school's grade, part of the job, so only bands.)
_LEAD_BAND = re.compile(r"^(?:band|pay\s+band)\s+\d{1,2}[a-z]?\s+(?=\S)", re.I)
_REGION_PART = re.compile(
    r"^(?:zona|zone|région|region|região|regione|regio|gebiet|bezirk|área|area|sede"
    r"|standort|vestiging|site|location|localização|ubicación|sede\s+di)\s+\S",
    re.I,
)


def _cut_where(value: str) -> str:
    """ "Projektingenieurin in Kassel": the job without where it is."""
    where = _IN_PLACE.search(value)
    if not where or not has_role_head(value[: where.start()]):
        return value
    place = where.group("p")
    if (
        is_place(place)
        or place.lower() in _WORK_TIME
        or (_TOWN_ENDING.search(place) and not has_role_head(place))
    ):
        return value[: where.start()]
    return value


def _clean_title(raw: str) -> str:
    # Most titles have no digit: the patterns of numbers, which all need one, are skipped.
    # No step below adds a digit, so one look at the raw title serves them all.
    numbered = any(map(str.isdigit, raw))
    value = raw.replace("\u00ad", "")
    if numbered:
        value = _REF_NUMBER.sub("", value)
    value = _cut_pay_grade(value, numbered)
    value = _SENTENCE_END.split(value, maxsplit=1)[0].strip(" \t.,;:!?\"'“”‘’")
    if numbered:
        value = _GLUED_NUMBER.sub(" ", _TITLE_NOISE[1].sub("", value))
        value = " ".join(w for w in value.split(" ") if not _requisition(w.strip("()#,.")))
    value = _CODE_TAIL.sub("", value)
    parts = _TITLE_PARTS.split(value)
    kept = [parts[0]]
    for part in parts[1:]:
        if (
            _NOT_TITLE_PART.search(part)
            or _HOURS_PART.fullmatch(part.strip())
            or _CODE_PART.fullmatch(part.strip())
            or len(part.split()) > 8
            or is_place(part)
            or _TEAM_PART.match(part)
        ):
            break
        kept.append(part)
    if len(kept) > 1 and _category(kept[0]) and has_role_head(kept[1]) and not _category(kept[1]):
        kept = kept[1:]  # "Information Technology - Data Scientist": the job family, then the job
    value = " - ".join(kept) if len(kept) > 1 else kept[0]
    value = _STATUS.sub("", value)
    value = _UNCLOSED.sub("", value)
    for pattern in _TITLE_NOISE if numbered else _TITLE_NOISE[:1]:  # [1:] need a digit
        value = pattern.sub("", value).strip(" -–,:")
    value = _UNCLOSED.sub("", " ".join(_drop_requisitions(value, "()#,")))
    value = _UNIT_TAIL.sub("", _CIVIL_GRADE.sub("", value))
    if numbered:
        value = _LEAD_BAND.sub("", value)
    value = _cut_places(_WHERE_AFTER.sub("", value).strip(" -–,:"))
    value = _cut_where(_cut_pay_grade(value, numbered)).strip(" -–,:")
    value = _LEAD_JOB_NOUN.sub("", value)
    value = _CLIENT_TAIL.sub("", value)
    context = _CONTEXT_TAIL.search(value)
    if context and has_role_head(value[: context.start()]):
        value = value[: context.start()]
    if numbered:
        while (tail := _TERMS_TAIL.search(value)) and (
            has_role_head(value[: tail.start()]) or names_job(value[: tail.start()])
        ):
            value = value[: tail.start()]
        dated = _DATE_TAIL.search(value)
        if dated and names_job(value[: dated.start()]):
            value = value[: dated.start()]  # "Consultant Anaesthetist on 2 December"
    value = _WHEN_TAIL.sub("", _LONG_ASIDE.sub("", value))
    value = _without_own_acronym(value)
    lead = _LEAD_POSSESSIVE.match(value)
    if lead and has_role_head(value[lead.end() :]) and not has_role_head(value[: lead.end()]):
        value = value[lead.end() :]  # "Acme's Data Analyst": the firm's, not the title
    words = value.split()
    while words and _TITLE_STOP.match(words[0]):
        words.pop(0)
    while words and words[-1].lower().strip(",") in _TITLE_TRAILING:
        words.pop()
    while (
        len(words) > 1
        and words[-1].lower() in _JOB_NOUNS
        and (has_role_head(" ".join(words[:-1])) or names_job(" ".join(words[:-1])))
    ):
        words.pop()  # "Data Analyst role", "Data Team Intern position"
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        words = words[:half]  # a title said twice: "Analyst (New Grad) Analyst (New Grad)"
    value = " ".join(words).strip(" -–,:")
    if not 2 <= len(value) <= 100 or len(words) > 16:
        return ""
    return value

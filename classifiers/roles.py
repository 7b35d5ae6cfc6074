"""What a job title is made of, in the seven languages debriefer reads.

A span that names a job has a head noun of an occupation: engineer, Entwickler,
développeuse, analista, medewerker, addetto...  A span without one ("Bonjour
Léa", "Year 4", "our team") is not a title, and a company name with one ("Data
Analyst") is not a company.  The lists are general occupation vocabulary, by
stem, so inflections and gender forms count: "Entwickler*in", "développeur·se",
"técnico/a", "technicien(ne)", "addetto/a".

Where a title is looked for, ``names_job`` also asks ``lexicons/occupations.txt``:
about 9,700 occupations and posts in the seven languages ("epidemiologist",
"carretillero", "nachtauditeur"), written by the developers from their own
knowledge, leaving out words that are more often something else ("guide",
"mayor", "bolsa") and given names.  The stems stay the test for a firm's or a
person's name, which the long list would mistake for titles ("Baker", "Richter").
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from .lexicon import alternation
from .names import is_first_name

# Stems matched at a word's start; the word may go on ("engineer" -> "engineering").
_STEMS_EN = (
    "engineer analyst developer scientist intern apprentice trainee manager coordinator"
    " specialist technician assistant consultant designer teacher nurse accountant architect"
    " administrator officer associate director lead head representative advisor adviser"
    " agent clerk operator programmer researcher research tester auditor economist"
    " statistician strategist planner buyer recruiter writer editor producer marketer"
    " supervisor executive fellow graduate co-op coop student lecturer professor tutor"
    " instructor receptionist cashier driver worker labourer laborer mechanic electrician"
    " chef cook waiter waitress barista bartender therapist pharmacist physician doctor"
    " dentist hygienist paralegal lawyer attorney counsel secretary bookkeeper controller"
    " owner partner president vp principal staff expert modeler modeller steward"
    " caretaker cleaner carer caregiver housekeeper porter picker packer handler"
    " warehouse logistician dispatcher scheduler estimator surveyor inspector"
    " investigator librarian curator translator interpreter journalist photographer"
    " animator illustrator artist support internship traineeship residency fellowship"
    " program programme sre devops qa ux ui pm scrum owner salesperson seller sommelier marketeer"
    " copywriter"
).split()
_STEMS_DE = (
    "entwickler ingenieur sachbearbeiter sachbearbeitung werkstudent doktorand praktikant referent"
    " berater leiter leitung mitarbeiter kaufmann kauffrau kaufleute techniker"
    " fachinformatiker informatiker assistenz assistent wissenschaftler architekt"
    " projektleiter projektmanager verkäufer verkäuferin lehrer lehrerin erzieher"
    " pfleger pflegefach krankenpfleger elektriker mechaniker mechatroniker monteur"
    " fahrer lagerist buchhalter controller steuerfach auszubildende ausbildung azubi"
    " trainee koch köchin servicekraft fachkraft spezialist expert betreuer"
    " sekretär empfang disponent einkäufer vertrieb redakteur gestalter"
    " juniorprofessor postdoc hilfskraft elektroniker anlagenmechaniker tischler schreiner"
    " maler bäcker konditor friseur zahnarzthelfer arzthelfer apotheker physiotherapeut"
    " ergotherapeut logopäde sozialarbeiter sozialpädagoge heilerziehungspfleger"
    " industriekaufmann bankkaufmann kassierer"
).split()
_STEMS_FR = (
    "développeu développeur ingénieur chargé chargée technicien technicienne stagiaire"
    " alternant alternante analyste consultant consultante chef responsable assistant"
    " assistante gestionnaire conseiller conseillère commercial commerciale comptable"
    " directeur directrice employé employée opérateur opératrice agent agente"
    " vendeur vendeuse infirmier infirmière enseignant enseignante professeur"
    " animateur animatrice éducateur éducatrice secrétaire hôte hôtesse cuisinier"
    " cuisinière serveur serveuse préparateur préparatrice magasinier magasinière"
    " manutentionnaire cariste livreur livreuse chauffeur mécanicien électricien"
    " architecte designer chercheur chercheuse doctorant doctorante spécialiste"
    " coordinateur coordinatrice administrateur administratrice apprenti apprentie"
    " auxiliaire aide boulanger boulangère vendeu pâtissier contrôleur contrôleuse"
    " réceptionniste receptionniste"
).split()
_STEMS_ES_PT_IT = (
    # es
    "desarrollador desarrolladora ingeniero ingeniera analista técnico técnica tecnico"
    " auxiliar becario becaria practicante asistente consultor consultora gerente jefe"
    " jefa responsable coordinador coordinadora especialista diseñador diseñadora"
    " administrativo administrativa contable contador contadora comercial vendedor"
    " vendedora dependiente camarero camarera cocinero cocinera enfermero enfermera"
    " profesor profesora maestro maestra recepcionista operario operaria conductor"
    " repartidor mozo programador programadora investigador investigadora director"
    " directora agente ejecutivo ejecutiva gestor gestora asesor asesora prácticas"
    # pt
    " desenvolvedor desenvolvedora engenheiro engenheira estagiário estagiária"
    " estagiario assistente consultor gerente coordenador coordenadora especialista"
    " técnico auxiliar atendente vendedor vendedora operador operadora analista"
    " professor professora enfermeiro enfermeira motorista cozinheiro recepcionista"
    " programador designer pesquisador diretor diretora supervisor supervisora"
    " representante jovem aprendiz estágio empregado empregada soldador soldadora"
    # it
    " addetto addetta impiegato impiegata tirocinante stagista sviluppatore"
    " sviluppatrice ingegnere tecnico tecnica analista consulente responsabile"
    " assistente commesso commessa magazziniere operaio operaia cameriere cameriera"
    " cuoco cuoca infermiere infermiera insegnante docente progettista programmatore"
    " programmatrice ricercatore ricercatrice direttore direttrice segretario"
    " segretaria contabile receptionist autista manutentore tirocinio"
    # heads of offices and of the public and academic posts who sign rejections
    " dirigente funzionario funzionaria istruttore istruttrice collaboratore collaboratrice"
    " operatore operatrice assegnista dottorando dottoranda catedrático catedrática decano"
    " decana rector rectora funcionario funcionaria reitor reitora chefe"
    # research contracts and schemes that name a post: "Contrato predoctoral", "Dottorato
    # in Fisica", "Bolsa de pós-doutorado", and Portugal's spelling of receptionist
    " predoctoral postdoctoral posdoctoral posdoc doctorado pós-doutorado pós-doc"
    " doutoramento doutorado dottorato assegno rececionista"
    # elected heads of a town's offices who sign its letters
    " concejal concejala alcalde alcaldesa sindaco assessore prefeito prefeita vereador"
).split()
_STEMS_NL = (
    "medewerker medewerkster ontwikkelaar stagiair stagiaire stage adviseur"
    " beheerder monteur verkoper verkoopster chauffeur docent leerkracht leraar"
    " verpleegkundige verzorgende onderzoeker projectleider projectmanager"
    " teamleider coördinator coordinator accountmanager ingenieur technicus"
    " magazijnmedewerker vakkracht kok bediening begeleider consulent"
    " administratief boekhouder afdelingshoofd werkstudent trainee promovendus"
    " promovenda ontwerper redacteur schoonmaker analist"
    " fietsenmaker meubelmaker hoogleraar decaan directeur hoofd inkoper doctorat"
    # de, fr: the same posts
    " dekan dekanin rektor rektorin direktor direktorin geschäftsführer inhaber doyen"
    " bürgermeister bürgermeisterin burgemeester wethouder maire"
).split()

# Head nouns that also stand in compounds ("projectmanager", "Softwareentwickler",
# "Lagermitarbeiter", "klantenservicemedewerker"): matched anywhere in a word.
_INFIXES = (
    "manager entwickler ingenieur mitarbeiter medewerker ontwikkelaar engineer"
    " developer analyst leiter berater techniker informatiker designer"
    " kaufmann kauffrau fachkraft spezialist assistent referent mechaniker mechatroniker"
    " elektroniker elektriker monteur installateur helfer fahrer pfleger erzieher arbeiter"
    " lehrkraft pflegekraft servicekraft hilfskraft aushilfe sachbearbeiter betreuer planer"
    " behandelaar werver voorbereider kundige verkoper beheerder picker"
    " coördinator consulent begeleider administrator"
    # more compounds' heads: "Mediengestalter", "Rechtsanwaltsfachangestellte",
    # "Lagerlogistikerin", "Beleidsadviseur", "Sachgebietsleitung"
    " gestalter angestellte logistiker adviseur leitung"
).split()

_HEADS = {s.lower() for s in _STEMS_EN + _STEMS_DE + _STEMS_FR + _STEMS_ES_PT_IT + _STEMS_NL}
# Short stems ("qa", "ui", "vp", "kok") only as whole words: "Qatar" is no job.  Matched
# against lower-cased text: IGNORECASE makes this alternation five times slower.  No infix
# starts another, so a tree of them matches just what their list did.
_HEAD = re.compile(rf"(?<![\w]){alternation(_HEADS, whole_up_to=3)}|{alternation(_INFIXES)}")
_WORDS = re.compile(r"[\w-]+")
_WORD_FROM = re.compile(r"[\w-]*")

# Words that name a job board or a place of work but no occupation even with a head
# noun inside ("Support" alone is a department, "Program" alone a scheme).
_WEAK_ALONE = frozenset(
    "support program programme staff lead head partner owner associate principal graduate"
    " student executive director fellow research aide agent stage".split()
)


def has_role_head(value: str, *, strong: bool = False) -> bool:
    """Whether ``value`` contains an occupation's head noun: a title, not a name.

    ``strong`` counts only heads that firms' names do not use ("Partners",
    "Research", "Associates" and "Staffing" name firms too).
    """
    lowered = value.lower()
    heads = (m for m in _HEAD.finditer(lowered) if not _adjective_here(value, lowered, m))
    first = next(heads, None)
    if first is None:  # most names and phrases: no head, and no need to split them into words
        return False
    words = _WORDS.findall(lowered)
    if len(words) == 1 and words[0] in _WEAK_ALONE:
        return False
    if not strong:
        return True
    for match in (first, *heads):
        word = _WORD_FROM.match(lowered, match.start()).group()  # type: ignore[union-attr]
        # For a firm's name, only the occupation itself or its plural or gender forms:
        # "Boulangerie", "Engineering" and "Consulting" name firms.
        if word[len(match.group()) :] in _INFLECTIONS and not any(
            word.startswith(w) for w in _WEAK_ALONE
        ):
            return True
    return False


# Occupations that are adjectives too, in lower case after a noun: "la prueba técnica",
# "colloquio tecnico", "área comercial" are a test, an interview and a department.
_ADJECTIVE_TOO = frozenset(
    "técnico técnica técnicos técnicas tecnico tecnica tecnici tecniche comercial comerciales"
    " commerciale commerciali administrativo administrativa amministrativo amministrativa"
    " administratif administrative".split()
)


def _adjective_here(value: str, lowered: str, head: re.Match[str]) -> bool:
    word = _WORD_FROM.match(lowered, head.start()).group()  # type: ignore[union-attr]
    if word not in _ADJECTIVE_TOO or not value[head.start()].islower():
        return False  # "Proceso selectivo Técnico/a de …": capitalised, the noun
    before = value[: head.start()].split()
    if not before or not before[-1].isalpha() or not before[-1].islower():
        return False
    # after a job ("secretaria administrativa", "adjoint administratif") it is the job's
    return not names_job(before[-1])


_INFLECTIONS = frozenset("- s e es in innen a as o os ne nes se ses".split()) | {""}


# A compound's head the list knows is at least this long, and what goes before it at
# least three letters: "Lager|logistiker", "klant|adviseur", but no "dame" in "Madame".
_COMPOUND_HEAD = 6
_COMPOUND_LEAD = 3
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@cache
def _occupations() -> tuple[frozenset[str], frozenset[str]]:
    """The occupation words of ``lexicons/occupations.txt``, and those long enough to end
    a compound."""
    text = resources.files(__package__).joinpath("lexicons", "occupations.txt")
    words = frozenset(w.strip() for w in text.read_text("utf-8").splitlines() if w.strip())
    return words, frozenset(w for w in words if len(w) >= _COMPOUND_HEAD)


# A gender sign before the feminine ending: "Sozialpädagog*in", "Erzieher:innen",
# "Lehrer_in" (and the colon's stand-in while titles are read): the word with its ending.
_GENDER_SIGN = re.compile(r"(\w)[*:_\u02d0](in(?:nen)?)\b")


def names_job(value: str) -> bool:
    """Whether ``value`` names a job: a head noun of the stems above, or a word of the
    occupation list, alone, in a hyphenated word or ending a compound ("Epidemiologist I",
    "Carretillero/a", "PhD-kandidaat", "Nachtauditeur").  The list is asked only where a
    title is looked for: as a surname ("Baker", "Richter") an occupation would take a
    person for a title."""
    if has_role_head(value):
        return True
    found = _WORD.findall(_GENDER_SIGN.sub(r"\1\2", value))
    if len(found) == 1 and found[0].casefold() in _NOT_A_JOB_ALONE:
        return False  # "Stage", "Maître": a scheme or a form of address alone
    words, compound_heads = _occupations()
    for index, word in enumerate(found):
        if _in_a_name(found, index):
            continue  # "Jane Baker", "Baker Hughes", "Turner & Townsend"
        folded = word.casefold()
        if folded in _ADJECTIVE_TOO and index and word.islower() and found[index - 1].islower():
            continue  # "colloquio tecnico": a technical interview
        if folded in words:
            return True
        for part, written in zip(folded.split("-"), word.split("-"), strict=True):
            if part in words:
                return True
            if written[1:] != written[1:].lower():
                continue  # a brand's inner capital: "HomeAdvisor" is no compound of "advisor"
            if any(
                part[start:] in compound_heads
                for start in range(_COMPOUND_LEAD, len(part) - _COMPOUND_HEAD + 1)
            ):
                return True
    return False


def _in_a_name(words: list[str], index: int) -> bool:
    """Whether a capitalised word stands in a person's or a firm's name: after a given
    name, or before another capitalised word that is no level ("Epidemiologist II")."""
    word = words[index]
    if not word[:1].isupper() or "-" in word or word.isupper():
        return False  # "PhD-kandidaat", "RN": no name is written so
    if index and is_first_name(words[index - 1]):
        return True
    after = words[index + 1] if index + 1 < len(words) else ""
    return (
        after[:1].isupper()
        and not after.isupper()  # "Landwirt EFZ": a diploma's letters, not a surname
        and not _LEVEL.fullmatch(after)
        and not has_role_head(after)
        # a German or Dutch field compound, longer than surnames are: "Underwriter
        # Sachversicherung", "Uitvoerder Utiliteitsbouw"
        and not (len(after) >= _FIELD_COMPOUND and bool(_FIELD_ENDING.search(after)))
    )


# A capitalised word after an occupation this long, ending as German and Dutch fields do,
# is the job's field, not a surname or a firm's trade ("Turner Construction").
_FIELD_COMPOUND = 12
_FIELD_ENDING = re.compile(
    r"(?-i:[a-zäöüß])(?:ung|heit|keit|schaft|technik|techniek|bau|bouw|wesen|wezen|wirtschaft"
    r"|dienst|pflege|medizin|recht|handel|kunde|logistik|vertrieb|einkauf|zorg|beheer|advies"
    r"|station|abteilung|bereich|sektor)$"
)


# A level after a title's head: "Analyst II", "Engineer III", "Epidemiologist I", "Sr".
_LEVEL = re.compile(r"(?:[IVX]{1,4}|Sr|Jr|Senior|Junior|Lead|Principal)")


# Words that alone name no job: the weak heads above, and occupations that alone are a
# form of address or part of a longer post ("Maître Dupont", "Cadet Pilot Programme").
_NOT_A_JOB_ALONE = _WEAK_ALONE | frozenset("maître maitre cadet dame".split())

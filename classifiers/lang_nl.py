"""Dutch phrases (u and je/jij forms, Netherlands and Flanders)."""

from .lexicon import COMPANY, TITLE, Lexicon

_YOU = r"(?:je|jou|jouw|jij|u|uw)"
_APPLICATION = r"(?:sollicitatie|kandidatuur|kandidaatstelling|cv|profiel|reactie|aanmelding)"
_ROLE = r"(?:functie|vacature|positie|rol|baan|stage|procedure|werving)"
_OTHERS = (
    r"(?:andere|een andere|meerdere andere) (?:\w+ )?(?:kandida\w+|sollicitant\w*|profiel\w*"
    r"|persoon|personen)"
)

LEXICON = Lexicon(
    code="nl",
    decision=[
        r"(?:besloten|gekozen|ervoor gekozen|beslist|besluit) ~ (?:niet|geen)",
        rf"(?:gekozen|kiezen|verder (?:gaan|gegaan)|doorgaan|door te gaan|verder te gaan) ~"
        rf" (?:voor|met) {_OTHERS}",
        rf"{_OTHERS} (?:die|wiens|wier|van wie|waarvan|met) ~ (?:beter|meer|dichter|sterker)",
        r"(?:niet|geen) (?:verder|door) (?:te )?(?:gaan|laten gaan|in het proces|met "
        rf"{_YOU})",
        rf"(?:niet|geen) (?:verder|door) ~ (?:met {_YOU} (?:sollicitatie|kandidatuur)|in de"
        r" (?:procedure|selectie))",
        rf"{_APPLICATION} ~ (?:niet|geen) ~ (?:verder|door|mee|vervolg|succesvol|in aanmerking"
        r"|geselecteerd|meenemen)",
        rf"(?:{_ROLE}) ~~ (?:is|werd|wordt|zijn) (?:inmiddels |reeds |al |intern |helaas )?(?:ingevuld"
        r"|vervuld|gesloten|geannuleerd|ingetrokken|on hold|komen te vervallen|bevroren"
        r"|stopgezet|vervallen|niet meer beschikbaar)",
        r"(?:vacaturestop|personeelsstop|aannamestop|wervingsstop)",
        r"(?:niet|geen) (?:uitnodig\w*|uit te nodigen|uitnodigen) ~ (?:gesprek"
        r"|sollicitatiegesprek|interview)",
        r"(?:afwijzing|afgewezen|niet aangenomen)",
        r"(?:niet|geen) (?:geselecteerd|gekozen)",
        r"(?:profiel|ervaring|achtergrond) ~ (?:sluit|past|aansluit|aansluiten|matcht) ~ (?:niet"
        r"|onvoldoende)",
        r"(?:niet|onvoldoende) (?:goed )?(?:aan|bij) (?:bij |op )?(?:het profiel|de functie"
        r"|onze wensen|de eisen|wat we zoeken)",
        r"(?:niet|geen) (?:een )?(?:aanbod|contract) (?:doen|aanbieden|bieden)",
        r"(?:geen|niet) (?:vervolg|verdere stap) (?:geven|aan geven|te geven)",
        r"(?:beter|meer) (?:aansluit\w*|past|passen|passend) (?:bij|op) (?:het profiel|de functie"
        r"|de vacature|onze)",
        r"(?:procedure|sollicitatieprocedure) ~ (?:niet|geen) ~ (?:voortzetten|vervolgen"
        r"|doorgaan)",
        r"(?:moeten|moet) ~ (?:teleurstellen)",
        r"(?:gekozen|kiezen|gegaan|gaan) voor (?:een|de) (?:andere )?(?:kandida\w+|sollicitant\w*"
        r"|persoon)",
        r"(?:functie|baan|positie|rol|vacature) ~~ niet (?:kunnen |kan |meer )?(?:aanbieden"
        r"|bieden|geven)",
        r"(?:nodigen|nodig) (?:je|u|jou) ~ niet uit",
        r"(?:sluit|sluiten|past|passen) ~~ (?:niet|onvoldoende) (?:\w+ )?aan",
    ],
    soft=[
        rf"(?:moeten|moet) (?:wij|we|ik) {_YOU} (?:helaas )?(?:laten weten|mededelen|berichten"
        r"|informeren)",
        r"(?:moeilijke|lastige|zware) (?:beslissing|keuze)",
        r"(?:andere|sterkere) (?:kandida\w+|sollicitant\w*)",
        r"(?:na )?(?:zorgvuldige|grondige|uitgebreide|zorgvuldig) (?:overweging|afweging"
        r"|beoordeling|bestudering)",
        # "helaas zien wij op dit moment geen mogelijkheden": soft, since "geen mogelijkheid
        # om het gesprek te verzetten" refuses a date, not the applicant
        r"(?:zien|hebben|bieden) (?:wij|we|ik) ~ geen (?:mogelijkhe\w+|plaats|plek|ruimte)",
    ],
    courtesy=[
        r"(?:bewaren|houden|behouden|opnemen|opslaan) ~ (?:cv|gegevens|profiel|sollicitatie)"
        r" ~ (?:bestand|database|talentpool|portefeuille|systeem)",
        r"(?:talentpool|talent pool|kandidatenbestand|wervingsreserve)",
        r"(?:wensen|wens|wensen we) (?:je|u|jou) ~ (?:succes|het beste|alle goeds|veel geluk)",
        r"(?:veel succes|het allerbeste|alle goeds) (?:met|bij|in|voor)",
        r"toekomstige (?:vacatures|functies|kansen|mogelijkheden)",
        r"(?:bedanken|danken|dank) ~ (?:interesse|tijd|moeite|vertrouwen)",
        r"(?:groot|hoog|grote) (?:aantal|hoeveelheid) (?:\w+ )?(?:sollicitaties|kandidaten"
        r"|reacties|sollicitanten)",
    ],
    regret=[r"helaas", r"spijtig genoeg", r"jammer genoeg", r"tot onze spijt", r"jammer"],
    negation=[r"niet", r"geen", r"nooit", r"niet meer"],
    conditional=[
        r"als",
        r"indien",
        r"mocht",
        r"mochten",
        r"wanneer",
        r"ingeval",
        r"in het geval",
        r"tenzij",
        r"zodra",
        r"anders",
        # A sentence that opens with its verb is a condition or a question, never a
        # decision: "Heeft u na vier weken niets gehoord, dan ...", "Word je niet
        # geselecteerd, dan bewaren we je cv".
        r"^(?:heeft|hebt|hoort|hoor|word|wordt|bent|krijgt|krijg|ontvangt|is|zijn) (?:u|je|jij"
        r"|er)",
    ],
    job_context=[
        r"sollicit\w*",
        r"vacature\w*",
        r"functies?",
        r"kandida\w*",
        r"gesprek\w*",
        r"cv",
        r"posities?",
        r"baan",
        r"werving",
        r"selectie\w*",
        r"stage\w*",
    ],
    counters={
        "acknowledgement": [
            r"(?:sollicitatie|cv|reactie|aanmelding) ~ (?:in goede orde )?(?:ontvangen|binnen"
            r"|binnengekomen)",
            r"ontvangstbevestiging",
            rf"(?:bekijken|beoordelen|bestuderen|bekijkt|beoordeelt|bestudeert|gaan) ~ {_YOU}"
            r" (?:sollicitatie|cv|profiel|gegevens)",
            r"(?:nemen|neem|neemt) ~ contact ~ op",
            r"(?:bedankt|dank je|dank u) (?:wel )?voor (?:je|jouw|uw) (?:sollicitatie|reactie)",
            r"(?:in behandeling|wordt bekeken|worden bekeken)",
        ],
        "interview invitation": [
            r"(?:uitnodigen|uitnodiging|nodigen (?:je|u|we je|we u|wij je|wij u) ~ uit) ~"
            r" (?:gesprek|kennismaking|kennismakingsgesprek|interview|sollicitatiegesprek)",
            r"(?:afspraak|gesprek|interview|call) ~ (?:inplannen|plannen|maken|vastleggen)",
            r"(?:je|uw|jouw) beschikbaarheid",
            r"(?:graag|leuk) (?:willen )?(?:kennismaken|kennis maken|spreken|ontmoeten)",
        ],
        "assessment": [
            r"(?:assessment|test|opdracht|case|vragenlijst|toets) ~ (?:maken|invullen|uitvoeren"
            r"|afronden)",
            r"(?:online assessment|praktijkopdracht|thuisopdracht|capaciteitentest)",
        ],
        "offer": [
            r"(?:blij|graag|verheugd|trots) ~ (?:aanbod|contract|aanbieden|aan te bieden"
            r"|verwelkomen)",
            r"(?:arbeidsovereenkomst|arbeidsvoorwaarden|contractvoorstel|jobaanbieding)",
            r"gefeliciteerd",
            r"welkom (?:bij het team|aan boord)",
        ],
        "rescheduling": [
            r"(?:verplaatsen|verzetten|uitstellen|omzetten|annuleren|afzeggen) ~ (?:gesprek"
            r"|afspraak|call|interview|meeting)",
            r"(?:gesprek|afspraak|call|interview|meeting) ~ (?:verplaatsen|verzetten|uitstellen"
            r"|omzetten|annuleren|afzeggen)",
            r"(?:nieuw|ander) (?:tijdstip|moment)",
        ],
        "job alert": [
            r"(?:nieuwe )?vacatures (?:voor jou|die bij je passen|die passen|op basis van)",
            r"(?:vacature-?alert|job ?alert|vacaturemelding)",
            r"(?:aanbevolen|passende|nieuwe) vacatures",
        ],
        "recruiter outreach": [
            r"(?:je|uw|jouw) profiel ~ (?:gezien|tegengekomen|opgevallen|gevonden)",
            r"(?:open|interesse) (?:voor|in) (?:een )?(?:nieuwe|andere) (?:uitdaging|baan|functie)",
        ],
        "withdrawal": [
            r"(?:ingetrokken|intrekken|intrekking van) (?:je|jouw|uw) (?:sollicitatie|kandidatuur)",
        ],
        "account notice": [
            r"(?:bevestig|verifieer|activeer|bevestigen|activeren) (?:je|uw) (?:e-mailadres|account"
            r"|e-mail)",
            r"(?:verificatiecode|wachtwoord)",
        ],
    },
    feedback=[
        r"(?:feedback|terugkoppeling|toelichting) (?:op|over|is|:|van)",
        r"(?:sterke punten|verbeterpunten|ontwikkelpunten|aandachtspunten|pluspunten)",
        r"(?:miste|misten|ontbrak|ontbrak het aan|mist|tekortkwam|wat we misten)",
        r"(?:ik|we|wij) (?:zou|zouden) (?:je|u) (?:aanraden|adviseren|willen meegeven)",
        r"(?:positief|goed|sterk) (?:opgevallen|beoordeeld)",
        r"(?:raad|adviseer|advies)",
        r"(?:verder ontwikkelen|verdiepen|werken aan) (?:je|uw|jouw|de)",
    ],
    auto_reply=[
        r"(?:automatisch|automatisch antwoord|automatische reactie|automatisch bericht)",
        r"afwezig",
        r"niet op kantoor",
        r"afwezigheidsbericht",
        r"(?:met )?vakantie",
    ],
    sign_offs=[
        r"met (?:vriendelijke|hartelijke|beste) groet(?:en)?",
        r"(?:vriendelijke|hartelijke|beste) groet(?:en)?",
        r"groet(?:en|jes)?",
        r"mvg",
        r"(?:alvast )?bedankt",
    ],
    title_patterns=[
        rf"(?:de |het )?(?:functie|vacature|positie|rol|stage) (?:van |als |voor |:)? ?"
        rf"(?:de |het )?{TITLE}",
        rf"(?:sollicitatie|kandidatuur|reactie) (?:als|voor|op) (?:de |het )?(?:functie |vacature"
        rf" |positie )?(?:van |als )?{TITLE}",
        rf"als {TITLE} (?:bij|in)",
    ],
    company_patterns=[
        rf"(?:interesse in|interesse voor|werken bij|werken voor|solliciteren bij|gesolliciteerd bij"
        rf"|sollicitatie bij|team van|bij|namens|vacature bij"
        # een bureau met nieuws van de opdrachtgever: "terugkoppeling gehad van X"
        rf"|(?:terugkoppeling|reactie|feedback|bericht|besluit)(?: gehad| gekregen| ontvangen)?"
        rf" (?:van|vanuit)(?: de opdrachtgever| onze opdrachtgever| de klant)?|voorgesteld bij)"
        rf" {COMPANY}",
        rf"(?:het|Het) (?:\w+ )?(?:recruitmentteam|recruitment team|HR-team|HR team|wervingsteam"
        rf"|team) (?:van )?{COMPANY}",
        rf"(?:het|Het) {COMPANY} (?:team|recruitmentteam|wervingsteam)",
    ],
)

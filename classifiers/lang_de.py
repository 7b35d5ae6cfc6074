"""German phrases (Sie and du forms)."""

from .lexicon import COMPANY, TITLE, Lexicon

_YOU = r"(?:Ihnen|Sie|dir|dich|Ihre|Ihren|Ihrer|deine|deinen|deiner)"
_APPLICATION = r"(?:Bewerbung|Kandidatur|Unterlagen|Bewerbungsunterlagen|Profil)"
_ROLE = r"(?:Stelle|Position|Vakanz|Ausschreibung|Stellenausschreibung|Funktion|Rolle|Job)"
_GENDERED = r"(?:[:*_/]in(?:nen)?)?"
_OTHERS = (
    rf"(?:andere[nrms]?|weitere[nrm]?|eine[nrm]?|einen) (?:\w+ )?(?:Kandidat\w*{_GENDERED}"
    rf"|Bewerber\w*{_GENDERED}|Person\w*|Profil\w*)"
)

LEXICON = Lexicon(
    code="de",
    decision=[
        rf"(?:für|zugunsten) (?:eine[nrm]? )?(?:\w+ )?{_OTHERS}",
        rf"{_OTHERS} (?:entschieden|ausgewählt|den Vorzug gegeben|berücksichtigt)",
        r"(?:Vorzug|Zuschlag) (?:\w+ )?(?:an|einer|einem|anderen) ~ (?:Kandidat|Bewerber|Person)",
        r"(?:nicht|keine) (?:weiter |mehr |weiterhin )?(?:berücksichtigen|berücksichtigt"
        r"|in Betracht ziehen|in Betracht gezogen|in die engere Auswahl|weiterverfolgen"
        r"|weiter verfolgen|weiterführen|fortsetzen|fortführen|anbieten)",
        rf"{_APPLICATION} ~ (?:leider )?(?:nicht|keine) (?:weiter |mehr |weiterhin )?"
        r"(?:berücksichtig|verfolg|in Betracht|positiv|erfolgreich|ausgewählt|weiterkommen)",
        rf"(?:{_ROLE}) (?:wurde|ist|wird|konnte|haben wir|hat sich) (?:\w+ )?(?:bereits |inzwischen"
        r" |zwischenzeitlich |mittlerweile |schon |intern )?(?:anderweitig |intern )?(?:besetzt"
        r"|vergeben|gestrichen|zurückgezogen|geschlossen|eingefroren|storniert|abgesagt"
        r"|auf Eis gelegt|nicht mehr)",
        r"anderweitig (?:besetzt|vergeben|entschieden|zu besetzen|besetzen|orientiert)",
        # verb first after "leider": "leider ist die Stelle inzwischen besetzt"
        rf"(?:ist|wurde|wird|wurden|sind|konnte) (?:die|diese|unsere|eure|Ihre|deine)?"
        rf" ?(?:ausgeschriebene |offene |vakante )?{_ROLE} ~ (?:besetzt|vergeben|gestrichen"
        r"|zurückgezogen|geschlossen|eingefroren|storniert|nicht mehr (?:verfügbar|offen|vakant))",
        r"(?:nicht|keine) (?:weiter |mehr |weiterhin )?zu (?:berücksichtigen|verfolgen"
        r"|berücksichtigt werden)",
        r"(?:nicht )?weiterzuverfolgen",
        r"(?:uns|sich) ~ gegen ~~ entschieden",
        rf"(?:mit|durch) (?:einer|einem|einen) anderen (?:\w+ )?(?:Person|Kandidat\w*{_GENDERED}"
        rf"|Bewerber\w*{_GENDERED}|Besetzung)",
        rf"(?:für|zugunsten) ~ (?:Kandidat|Bewerber)\w*{_GENDERED} entschieden",
        r"(?:vorerst |zunächst |derzeit |aktuell )?nicht (?:mehr |neu |weiter )?zu besetzen",
        r"(?:Auswahlverfahren|Bewerbungsverfahren|Besetzungsverfahren|Auswahlprozess"
        r"|Bewerbungsprozess|Verfahren|Prozess) ~ (?:beendet|eingestellt|abgebrochen|gestoppt"
        r"|abgeschlossen, ohne)",
        r"keine (?:positiv\w*|erfreulich\w*|bessere\w*) (?:Rückmeldung|Nachricht|Antwort"
        r"|Entscheidung|Nachrichten)",
        rf"(?:{_ROLE}) ~~ (?:ist|wurde|wird|wurden|sind|konnte) (?:\w+ )?(?:bereits |inzwischen"
        r" |schon |mittlerweile |leider )?(?:anderweitig |intern )?(?:besetzt|vergeben|gestrichen"
        r"|zurückgezogen|eingefroren|storniert)",
        r"Bewerbung ~ Absage|Absage ~ Bewerbung",
        r"(?:eine )?Absage (?:auf|für|zu|bezüglich|zu Ihrer|erteilen|geben|mitteilen|senden)",
        r"(?:Ihnen|dir) (?:leider )?(?:absagen|eine Absage)",
        r"(?:nicht|kein(?:e|en)?) (?:in die |für die )?(?:nächste|engere|weitere) (?:Runde|Auswahl"
        r"|Phase|Auswahlrunde|Stufe)",
        r"(?:Einstellungsstopp|Einstellungs-Stopp|Stellenbesetzungsstopp|Einstellungsstop"
        r"|Besetzungsstopp|Rekrutierungsstopp)",
        rf"(?:{_ROLE}) (?:wird|werden) (?:\w+ )?(?:nicht (?:mehr |neu |weiter )?besetzt"
        r"|vorerst nicht|nicht nachbesetzt)",
        r"(?:deren|dessen|die|welche) (?:\w+ )?(?:Profil|Qualifikation|Erfahrung|Hintergrund)\w*"
        r" ~~ (?:besser|eher|genauer|stärker|mehr)",
        r"(?:besser|eher|genauer|stärker) (?:zu unseren Anforderungen|zum Anforderungsprofil"
        r"|auf die (?:Stelle|Position)|zu der (?:Stelle|Position)|zur Stelle|zur Position"
        r"|unseren Anforderungen)",
        r"(?:nicht|uns nicht) (?:für (?:Sie|dich) )?entschieden",
        rf"{_YOU} (?:leider )?(?:keine|kein) (?:Angebot|Stelle|Zusage|Vertragsangebot|positive)",
        r"keine (?:positive|erfreuliche) (?:Rückmeldung|Nachricht|Antwort)",
        r"(?:Profil|Qualifikation|Erfahrung|Hintergrund)\w* (?:\w+ )?(?:entspricht|entsprechen"
        r"|passt|passen|deckt sich|decken sich) ~ (?:nicht|leider nicht)",
        r"(?:nicht|keine) (?:zu einem|zum) (?:Vorstellungsgespräch|Gespräch|Interview)"
        r" (?:einladen|eingeladen)",
        r"(?:haben|hat) (?:uns|sich) ~ (?:gegen|nicht für) (?:Sie|dich|Ihre|deine)",
        r"(?:nicht|keine) (?:erfolgreich|berücksichtigt) (?:sein|gewesen|waren|war)",
        r"(?:mit|für) (?:dem|den) (?:Prozess|Auswahlprozess|Bewerbungsprozess) ~ nicht"
        r" (?:weiter|fort)",
        r"(?:nicht|kein) weiter (?:mit (?:Ihnen|dir|Ihrer|deiner))",
    ],
    soft=[
        rf"(?:müssen|muss) (?:wir )?(?:{_YOU} )?(?:leider )?(?:mitteilen|absagen|informieren)",
        r"(?:bedauern|bedaure|bedauerlicherweise)",
        r"(?:schwer gefallen|nicht leicht gemacht|nicht leicht gefallen|schwierige Entscheidung"
        r"|schwere Entscheidung)",
        r"(?:andere[nrm]?|stärkere[nrm]?) (?:Kandidat|Bewerber)\w*",
        r"(?:nach|bei) (?:sorgfältiger|eingehender|intensiver|reiflicher|gründlicher)"
        r" (?:Prüfung|Überlegung|Abwägung|Durchsicht|Sichtung)",
    ],
    courtesy=[
        r"(?:Unterlagen|Daten|Profil|Bewerbung|Lebenslauf) ~ (?:in unserem|in unseren|im|in unsere)"
        r" (?:Talentpool|Talent-Pool|Bewerberpool|Kandidatenpool|System|Datenbank|Evidenz)",
        r"(?:Talentpool|Talent-Pool|Bewerberpool|Kandidatenpool)",
        r"(?:weiterhin|für die Zukunft|für Ihren weiteren|für deinen weiteren|auf Ihrem weiteren"
        r"|auf deinem weiteren) ~ (?:viel )?(?:Erfolg|alles Gute)",
        r"(?:viel Erfolg|alles Gute|viel Glück) (?:für|bei|auf|in)",
        r"(?:zukünftige|künftige|spätere) (?:Stellen|Ausschreibungen|Vakanzen|Positionen"
        r"|Möglichkeiten|Gelegenheiten)",
        r"(?:Unterlagen|Daten) ~ (?:gelöscht|löschen|vernichtet|vernichten|zurück)",
        r"(?:danken|bedanken) ~ (?:Interesse|Vertrauen|Zeit|Mühe)",
        r"(?:Vielzahl|große Anzahl|Fülle|viele) (?:\w+ )?(?:Bewerbungen|Bewerber|Kandidaten)",
    ],
    regret=[r"leider", r"bedauerlicherweise", r"bedauern", r"zu unserem Bedauern"],
    negation=[r"nicht", r"kein\w*", r"nie", r"nicht mehr"],
    conditional=[
        r"wenn",
        r"falls",
        r"sollten",
        r"sollte",
        r"sofern",
        r"ob",
        r"im Falle?",
        r"für den Fall",
        r"andernfalls",
        r"ansonsten",
    ],
    job_context=[
        r"Bewerbung\w*",
        r"beworben",
        r"bewerben",
        r"Stelle\w*",
        r"Position\w*",
        r"Kandidat\w*",
        r"Bewerber\w*",
        r"Vorstellungsgespräch\w*",
        r"Interview\w*",
        r"Lebenslauf",
        r"Unterlagen",
        r"Jobs?",
        r"Vakanz\w*",
        r"Ausschreibung\w*",
        r"Recruiting",
        r"Praktikum\w*",
        r"Werkstudent\w*",
        r"Ausbildung\w*",
    ],
    counters={
        "acknowledgement": [
            rf"{_APPLICATION} (?:ist|sind) (?:\w+ )?(?:bei uns )?(?:gut |erfolgreich |wohlbehalten )?"
            r"(?:eingegangen|angekommen)",
            r"Eingang (?:Ihrer|deiner) (?:Bewerbung|Unterlagen)",
            r"Eingangsbestätigung",
            r"(?:werden|wird|werde) ~ (?:prüfen|sichten|melden|zurückkommen|in Kontakt treten"
            r"|auf (?:Sie|dich) zukommen)",
            r"(?:erhalten|bekommen|bekommst) (?:Sie|du) ~ (?:Nachricht|Rückmeldung|Bescheid)",
            r"(?:Danke|vielen Dank|herzlichen Dank) (?:für|dass) ~ (?:Bewerbung|beworben)",
            r"(?:in Prüfung|wird geprüft|werden geprüft|wird gesichtet)",
        ],
        "interview invitation": [
            r"(?:einladen|einlädt|Einladung|laden (?:Sie|dich|wir Sie|wir dich)) ~"
            r" (?:Vorstellungsgespräch|Gespräch|Interview|Kennenlernen|Telefonat|Video)",
            r"(?:Termin|Gespräch|Interview|Telefonat) ~ (?:vereinbaren|vorschlagen|finden|abstimmen"
            r"|ausmachen|einplanen|buchen)",
            r"(?:persönlich )?kennenlernen",
            r"(?:Ihre|deine) Verfügbarkeit",
            r"(?:freuen|freue) (?:uns|mich),? (?:Sie|dich) ~ (?:einzuladen|kennenzulernen"
            r"|begrüßen)",
        ],
        "assessment": [
            r"(?:Test|Aufgabe|Assessment|Case Study|Fallstudie|Online-Test|Testaufgabe|Challenge"
            r"|Arbeitsprobe|Fragebogen) ~ (?:bearbeiten|absolvieren|durchführen|ausfüllen"
            r"|lösen|abschließen)",
            r"(?:Coding-Challenge|Online-Assessment|Probearbeit)",
        ],
        "offer": [
            r"(?:freuen|freut|freue) (?:uns|mich),? (?:Ihnen|dir) ~ (?:Angebot|Vertrag|Zusage"
            r"|anbieten|mitzuteilen, dass)",
            r"(?:Zusage|Vertragsangebot|Arbeitsvertrag|Jobangebot|Stellenangebot für Sie)",
            r"(?:herzlichen )?Glückwunsch",
            r"willkommen (?:im|an Bord)",
        ],
        "rescheduling": [
            r"(?:verschieben|verlegen|absagen|umplanen) ~ (?:Termin|Gespräch|Telefonat|Call"
            r"|Interview|Meeting)",
            r"(?:Termin|Gespräch|Telefonat|Call|Interview|Meeting) ~ (?:verschieben|verlegen"
            r"|absagen|umplanen|ausfallen)",
            r"(?:neuen|anderen) Termin",
        ],
        "job alert": [
            r"(?:neue|passende|aktuelle|empfohlene) (?:Jobs|Stellen|Stellenangebote|Jobangebote)",
            r"(?:Jobalarm|Job-Alarm|Jobagent|Job-Agent|Suchauftrag|Jobempfehlungen)",
        ],
        "recruiter outreach": [
            r"(?:auf|über) (?:Ihr|dein) Profil ~ (?:gestoßen|aufmerksam|aufgefallen)",
            r"(?:Ihr|dein) Profil ~ (?:aufgefallen|gefunden|gesehen)",
            r"(?:offen|interessiert) (?:für|an) (?:eine[nr]? )?(?:neue|neuen)",
        ],
        "withdrawal": [
            r"(?:Sie haben|du hast) (?:Ihre|deine) (?:Bewerbung|Kandidatur) ~ zurückgezogen",
            r"Rückzug (?:Ihrer|deiner) Bewerbung",
        ],
        "account notice": [
            r"(?:Konto|Account|E-Mail-Adresse) ~ (?:bestätigen|verifizieren|aktivieren)",
            r"(?:Bestätigungscode|Einmalcode|Passwort zurücksetzen)",
        ],
    },
    feedback=[
        r"Feedback (?:zu|zum|zur|geben|ist|wäre|:)",
        r"Rückmeldung (?:zu|zum|zur|geben|ist|:)",
        r"(?:positiv|gut|sehr gut) (?:aufgefallen|gefallen|angekommen)",
        r"(?:fehlte|gefehlt|fehlende|mangelnde|mangelte|zu wenig|nicht ausreichend)",
        r"(?:Verbesserungspotenzial|Verbesserungspotential|ausbaufähig|ausbaubar"
        r"|Entwicklungspotenzial)",
        r"(?:empfehle|empfehlen|rate|raten|würde (?:Ihnen|dir) (?:raten|empfehlen))",
        r"(?:Ihre|deine) Stärken",
        r"(?:hat|haben) (?:uns )?(?:\w+ )?(?:überzeugt|beeindruckt)",
        r"(?:gesucht|suchten|gewünscht) (?:haben|hätten)? ~ (?:mehr|stärker|tiefer)",
    ],
    auto_reply=[
        r"Abwesenheitsnotiz",
        r"(?:bin|sind) (?:derzeit |zurzeit |aktuell )?(?:nicht im Büro|abwesend|im Urlaub)",
        r"automatische (?:Antwort|Rückmeldung)",
        r"Abwesenheit",
    ],
    sign_offs=[
        r"(?:mit )?(?:freundlichen|besten|herzlichen|sonnigen|vielen) Grüßen",
        r"(?:viele|beste|liebe|herzliche|freundliche) Grüße",
        r"MfG",
        r"Gruß",
        r"Grüße",
        r"Beste Grüße aus \w+",
    ],
    title_patterns=[
        rf"(?:als|zum|zur) {TITLE}",
        rf"(?:Position|Stelle|Rolle|Funktion) (?:als|des|der|einer|eines|zum|zur|:|„|\")? ?{TITLE}",
        rf"(?:Bewerbung|Kandidatur) (?:für|auf|um) (?:die|unsere)? ?(?:Position|Stelle)? ?(?:als )?"
        rf"(?:des |der |zum |zur )?{TITLE}",
    ],
    company_patterns=[
        rf"(?:Interesse an|Bewerbung bei|beworben bei|Karriere bei|bei|Team von|Team bei"
        # an agency's news from its client: "Rückmeldung von der X", "Absage vom Kunden X"
        rf"|(?:Rückmeldung|Feedback|Absage|Antwort|Entscheidung|Nachricht) (?:von|vom Kunden"
        rf"|von unserem Kunden|vom Unternehmen|von der Firma)|vorgestellt bei|weitergeleitet an)"
        rf" (?:der |die |dem |den |das )?{COMPANY}",
        rf"(?:Ihr|Ihre|dein|deine|das|Das) {COMPANY}(?:-| )(?:Team|Recruiting-Team|Recruiting"
        r"|HR-Team|Personalabteilung)",
    ],
)

"""Company, job title and contact: who to thank, at which company, for which role."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from classifiers import classify, spans
from classifiers.classify import LEXICONS
from classifiers.extract import (
    FILL_AT,
    TITLE_TRUST,
    _clean_company,
    _clean_title,
    _decide,
    _judged_weak,
    _name_below_post,
    _person_line,
    _scan_extractors,
    _signer_s_post,
    _subject_titles,
    _tidy_company,
    _tidy_title,
    _written_whole,
)
from classifiers.places import is_place
from classifiers.roles import has_role_head, names_job
from classifiers.scoring import Text

from .support import build_mail

REJECTION = (
    "Hi Alex,\n\nThank you for your interest in the Senior Data Analyst position at Contoso. "
    "Unfortunately, we have decided to move forward with other candidates.\n\n"
)


def test_human_sender_is_the_contact() -> None:
    """A person's From is the contact; the display name is cleaned of its role tag."""
    raw = build_mail(
        "Your application",
        REJECTION + "Best,\nGrace O'Neill",
        sender=("Grace O'Neill (Recruiting)", "grace.oneill@contoso.example"),
    )
    verdict = classify(raw)
    assert verdict.contact_name == "Grace O'Neill"
    assert verdict.contact_email == "grace.oneill@contoso.example"
    assert verdict.company == "Contoso"
    assert verdict.job_title == "Senior Data Analyst"


def test_no_reply_sender_falls_back_to_reply_to() -> None:
    """An ATS no-reply From is skipped for the Reply-To, named by the display name."""
    raw = build_mail(
        "Thanks for your interest in Contoso",
        REJECTION + "The Contoso Talent Team",
        sender=("Dana Whitfield", "no-reply@hire.lever.co"),
        headers={"Reply-To": "dana.whitfield@contoso.example"},
    )
    verdict = classify(raw)
    assert verdict.contact_email == "dana.whitfield@contoso.example"
    assert verdict.contact_name == "Dana Whitfield"


def test_signature_address_when_from_and_reply_to_are_robots() -> None:
    """With only robots in the headers, an address in the signature is used."""
    raw = build_mail(
        "Update on your application",
        REJECTION
        + "Kind regards,\nMarta Lindqvist\nTalent Partner\nmarta.lindqvist@contoso.example\n",
        sender=("Contoso Recruiting", "contoso@myworkday.com"),
        headers={"Reply-To": "do-not-reply@contoso.example"},
    )
    verdict = classify(raw)
    assert verdict.contact_email == "marta.lindqvist@contoso.example"
    assert verdict.contact_name == "Marta Lindqvist"
    assert verdict.company == "Contoso"


def test_no_human_contact_stays_none() -> None:
    """No person anywhere: contact is None rather than a no-reply address."""
    raw = build_mail(
        "Your application",
        REJECTION + "The Recruiting Team",
        sender=("Contoso Careers", "noreply@contoso.example"),
    )
    verdict = classify(raw)
    assert verdict.contact_email is None
    assert verdict.contact_name is None
    assert verdict.company == "Contoso"


def test_requisition_numbers_and_gender_tags_are_trimmed() -> None:
    """Titles lose requisition ids and (m/w/d) tags a letter would not repeat."""
    raw = build_mail(
        "Ihre Bewerbung als Data Analyst (m/w/d)",
        "Sehr geehrter Herr Candidate, leider haben wir uns für eine andere Kandidatin "
        "entschieden.\nMit freundlichen Grüßen\nSabine Keller",
        sender=("Sabine Keller", "sabine.keller@nordlicht.example"),
    )
    verdict = classify(raw)
    assert verdict.job_title == "Data Analyst"
    # The mail names no company; its domain alone is a hint, never a draft's name.
    assert verdict.company is None
    assert verdict.contact_name == "Sabine Keller"


def test_user_address_is_never_the_contact() -> None:
    """The user's own address in a signature or Reply-To is not a contact."""
    raw = build_mail(
        "Your application",
        REJECTION + "Regards,\nalex.candidate@example.net",
        sender=("Contoso Careers", "noreply@contoso.example"),
        headers={"Reply-To": "alex.candidate@example.net"},
    )
    verdict = classify(raw, user_addresses=["alex.candidate@example.net"])
    assert verdict.contact_email is None


def test_a_title_ends_at_a_spaced_dash_or_bar() -> None:
    """German nouns are capitalised: "– Rückmeldung" must not join the title in the draft."""
    body = (
        "Guten Tag Alex,\n\nvielen Dank für Ihre Bewerbung. Leider müssen wir Ihnen mitteilen,"
        " dass wir uns für andere Bewerber entschieden haben.\n\nMit freundlichen Grüßen\nJordan Reyes"
    )
    for subject in (
        "Ihre Bewerbung als Data Engineer – Rückmeldung",
        "Ihre Bewerbung als Data Engineer - Rückmeldung",
        "Ihre Bewerbung als Data Engineer | Northwind",
    ):
        verdict = classify(build_mail(subject, body))
        assert verdict.label.value == "rejection", subject
        assert verdict.job_title == "Data Engineer", subject


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Progettista meccanico–Milano", "Progettista meccanico"),  # an en dash, unspaced
        ("Verpleegkundige (32-36 uur)", "Verpleegkundige"),
        ("Projektleiter Hochbau 80-100%", "Projektleiter Hochbau"),
        ("Sachbearbeiter (20 Std./Woche)", "Sachbearbeiter"),
        ("Chargé de mission au sein de la direction financière", "Chargé de mission"),
        ("Data Engineer im Bereich Logistik", "Data Engineer"),
        ("Analista de datos en el equipo de Riesgos", "Analista de datos"),
        ("Software Engineering Intern, Summer 2027", "Software Engineering Intern, Summer 2027"),
        ("Co-op Engineer", "Co-op Engineer"),  # a hyphen joins, never parts
        # the day of the interview or the committee is no part of the post
        ("Consultant Anaesthetist on 2 December", "Consultant Anaesthetist"),
        ("Serveur le 12 novembre 2026", "Serveur"),
        ("Camarero el 4 de mayo", "Camarero"),
        ("Engineer on 2nd floor", "Engineer on 2nd floor"),  # a number, but no date
        # a known place after the occupation, with no mark before it
        ("Filiaalmanager Zwolle", "Filiaalmanager"),
        ("Export Sales Manager Middle East", "Export Sales Manager"),
        ("Gerente de Ventas Zona Bajío", "Gerente de Ventas"),
        ("Field Coordinator (Northern Uganda)", "Field Coordinator"),
        ("Head of Marketing Europe", "Head of Marketing Europe"),  # the team's word before it
        ("Caseworker (AO/EO)", "Caseworker"),  # a civil service grade
        ("Sachbearbeiter Bauamt (E 9a, 50 %)", "Sachbearbeiter Bauamt"),
        ("Doktorandenstelle - Kennz. Q-17-3", "Doktorandenstelle"),  # a reference
        ("Data Steward, Department of Finance", "Data Steward"),  # the unit
        ("Band 6 Occupational Therapist - Ward 9", "Occupational Therapist"),  # band, ward
        ("Research Officer (Higher Executive Officer)", "Research Officer"),
        ("Data Analyst (AWD)", "Data Analyst (AWD)"),  # but not any capitals in brackets
        ("Grade 3 Teacher", "Grade 3 Teacher"),  # a school's grade is the job's
        ("Care Assistant Home Based", "Care Assistant Home Based"),
        ("Shift Lead AM 6", "Shift Lead AM 6"),  # no German date
        ("Epidemiologist I, Dept. of Health", "Epidemiologist I"),
        ("Agent d'entretien (catégorie C)", "Agent d'entretien"),  # a public service category
        ("Operatore socio-sanitario (cat. B)", "Operatore socio-sanitario"),
        ("Lecturer in Law", "Lecturer in Law"),  # a field after "in", not a place
        ("Planning Officer (Grade 7)", "Planning Officer"),  # a bracketed grade, not "Grade 3"
        ("Epidemiologist I, Recruitment", "Epidemiologist I"),  # the procedure after a comma
        ("Teacher of Geography (MPS/UPS)", "Teacher of Geography"),  # a teachers' pay range
        ("Teacher of Music (MPS + TLR 2b), Key Stage 3", "Teacher of Music, Key Stage 3"),
        ("Pflegehelfer Nachtdienst (Job-ID 5521)", "Pflegehelfer Nachtdienst"),
        ("florist job", "florist"),  # the job noun after a job
        ("Búsqueda Analista Contable", "Analista Contable"),  # a posting's "search"
        ("Technicien de laboratoire - UMR 5120", "Technicien de laboratoire"),  # the unit's code
        ("Hulpkok - tijdelijk - C1-C2", "Hulpkok"),  # the contract and the pay scale
        ("Mozo/a de almacén - jornada parcial", "Mozo/a de almacén"),  # the hours
        ("Enfermeira - Serviço de Pediatria", "Enfermeira"),  # the hospital's service
        ("Staff Nurse - Ward 7 Cardiology", "Staff Nurse"),
        ("IT Support - Service Desk Analyst", "Service Desk Analyst"),  # a job, not a service
        (
            "secrétaire médicale (poste ouvert aux contractuels et titulaires)",
            "secrétaire médicale",
        ),
        ("assistant/e administratif/ve à 80%", "assistant/e administratif/ve"),
        ("serveur/serveuse le week-end", "serveur/serveuse"),
        ("Operatore Socio Sanitario (OSS)", "Operatore Socio Sanitario"),  # its own initials
        ("Analyst, Global Supply Chain (GSC)", "Analyst, Global Supply Chain (GSC)"),
        ("Técnico/a de Laboratório (bolsa)", "Técnico/a de Laboratório"),
        # what stays: a specialty in brackets, a licence's or a language's level, a year
        ("Consultant (Ear, Nose and Throat)", "Consultant (Ear, Nose and Throat)"),
        ("Aircraft Technician - B1", "Aircraft Technician - B1"),
        ("Analyst - SQL 2019", "Analyst - SQL 2019"),
        ("Barista on the weekend", "Barista"),
    ],
)
def test_a_title_loses_the_terms_and_the_team_that_follow_it(raw: str, title: str) -> None:
    assert _clean_title(raw) == title


@pytest.mark.parametrize(
    ("value", "title"),
    [
        ("Backend Engineer na Tropicalis", "Backend Engineer"),  # at the firm
        ("Kellner bei Gasthof Linde", "Kellner"),
        ("Ingeniero en Sistemas", "Ingeniero en Sistemas"),  # "en" leads a field
        (
            "agent polyvalent des espaces verts de la commune de Vézelin",
            "agent polyvalent des espaces verts",
        ),
        ("Sachbearbeiter Wohngeld der Stadtverwaltung Hallbrück", "Sachbearbeiter Wohngeld"),
        ("Repositor/a - Tienda Puerta Norte 12", "Repositor/a"),  # the shop, not the job
        ("Cajero/a - Supermercado El Olivo", "Cajero/a"),
        ("Chef du département informatique", "Chef du département informatique"),  # a team
        ("sollicitatie Filiaalmanager", "Filiaalmanager"),  # a step, then the job
        ("leitende Oberärztin", "leitende Oberärztin"),  # an adjective, part of it
        # where the firm keeps the post, in the sentence that goes on
        ("data steward in our Rotterdam office", "data steward"),
        ("Verkäuferin in unserem Team", "Verkäuferin"),
        ("préparateur de commandes dans notre entrepôt", "préparateur de commandes"),
        ("reponedor en nuestra tienda", "reponedor"),
        ("magazziniere nel nostro deposito", "magazziniere"),
        ("monteur in onze werkplaats", "monteur"),
        ("repositor na nossa loja", "repositor"),
        # the unsolicited application names no post
        ("spontanea inviata a maggio", ""),
        ("Spontaneous application", ""),
        ("Data Engineer (spontaneous application)", "Data Engineer"),
    ],
)
def test_a_title_loses_the_employer_and_the_shop_after_it(value: str, title: str) -> None:
    assert _tidy_title(value, frozenset()) == title


def test_a_title_loses_the_firm_the_mail_names_after_a_comma() -> None:
    firms = frozenset({"brackmoorfoods"})
    assert _tidy_title("Head of Payroll, Brackmoor Foods", firms) == "Head of Payroll"
    assert _tidy_title("Manager, Data Platform", firms) == "Manager, Data Platform"


@pytest.mark.parametrize(
    ("value", "job"),
    [
        ("Epidemiologist I", True),  # occupations the stems do not know
        ("Carretillero/a", True),
        ("PhD-kandidaat Klimaatfysica", True),
        ("Nachtauditeur", True),  # a compound ending in one
        ("Senior Sonographer", True),
        ("Madame", False),
        ("Maître", False),  # a form of address alone
        ("Stage", False),  # a scheme alone
        ("HomeAdvisor & Angie's List", False),  # a brand's inner capital is no compound
        ("Baker Hughes", False),  # an occupation in a firm's name
        ("Turner & Townsend", False),
        ("Jane Baker", False),  # or in a person's
        ("Landwirt EFZ", True),  # but a diploma's letters after it are no name
        ("Ihre Bewerbung", False),
        ("Computational Linguistics", False),
        # an occupation that is an adjective too, after a noun: a test, an interview
        ("la prueba técnica", False),
        ("colloquio tecnico", False),
        ("Técnico de mantenimiento", True),
        ("Asistente comercial", True),
    ],
)
def test_a_title_is_named_by_an_occupation_the_list_knows(value: str, job: bool) -> None:
    assert names_job(value) is job


def test_the_occupation_list_never_makes_a_surname_a_title_outside_titles() -> None:
    """A firm's or a person's name is still judged by the stems alone."""
    for surname in ("Richter", "Baker"):
        assert names_job(surname)
        assert not has_role_head(surname)


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        (
            "Uitslag sollicitatieprocedure adviseur ruimtelijke ordening",
            "Adviseur ruimtelijke ordening",
        ),
        ("Esito selezione pubblica per Istruttore Tecnico – bando n. 4/2026", "Istruttore Tecnico"),
        (
            "Resolución definitiva - Contrato postdoctoral en Ecología",
            "Contrato postdoctoral en Ecología",
        ),
        ("Stellenausschreibung Sachbearbeitung Personal", "Sachbearbeitung Personal"),
        ("Resultado do desafio técnico", None),  # a task, not a post
        ("Convocatoria Socorrista de Piscina - Anulada", "Socorrista de Piscina"),
        ("Search for Lecturer in Medieval History", "Lecturer in Medieval History"),
        ("Search Engineer - Brightpath", "Search Engineer"),  # no search without "for"
        ("Proceso selectivo Conserje - Bolsa de empleo", "Conserje"),  # the procedure's part
        ("Re: Head of Partnerships - Willow & Reed", "Head of Partnerships"),  # the firm's part
        ("Ihre Bewerbung als pädagogische Fachkraft – Kita Regenbogen", "pädagogische Fachkraft"),
        ("Opdracht Scrum Master - afwijzing", "Scrum Master"),
        ("Software Engineer - Baker Hughes", "Software Engineer"),  # the firm ends it
        ("Baker Hughes - Software Engineer", "Software Engineer"),  # or leads it
        ("Processo seletivo: Analista Fiscal - Vaga 5120", "Analista Fiscal"),  # its number
        ("Recruitment campaign Sonographer - withdrawn", "Sonographer"),
        ("Re: colloquio tecnico", None),  # a technical interview, not a technician
        ("Berufungsverfahren W3-Professur für Geodäsie", "W3-Professur für Geodäsie"),
        ("Proceso selectivo Técnico/a de Archivo - Bolsa", "Técnico/a de Archivo"),
    ],
)
def test_a_subject_names_the_post_after_the_procedure(subject: str, title: str | None) -> None:
    """The words of a selection procedure before the post are not part of it."""
    found = _subject_titles(subject)
    assert (found[0][0] if found else None) == title


def test_a_town_is_a_place_after_a_title_but_not_a_firm() -> None:
    """The gazetteer knows towns for a title's tail; a firm's name is asked only of the
    short list, so "Marlow" (a town) can still name a firm."""
    assert is_place("Roermond")
    assert is_place("Harrogate Parliament Street")
    assert not is_place("Roermond", towns=False)
    assert is_place("Berlin", towns=False)
    assert not is_place("Payments")
    assert not is_place("Open World")


@pytest.mark.parametrize(
    ("found", "company"),
    [
        ("CHU de Valmont - DRH", "CHU de Valmont"),
        ("St Aldric's Academy Office", "St Aldric's Academy"),
        ("Hospital San Telmo - No responder", "Hospital San Telmo"),
        ("RR. HH. Hotel Marlín Playa", "Hotel Marlín Playa"),
        ("Ufficio", ""),  # an office's word names no firm
        ("Hôpital de Vireux - Service du personnel", "Hôpital de Vireux"),
    ],
)
def test_a_company_loses_the_unit_and_the_mailbox_note(found: str, company: str) -> None:
    assert _tidy_company(found, "") == company


@pytest.mark.parametrize(
    ("found", "company"),
    [
        ("Clinique des Saules - Avenue des Pins", "Clinique des Saules"),  # its street
        ("Quinta do Lago Azul Unipessoal, Lda.", "Quinta do Lago Azul"),  # legal forms
        ("Cascina Ronchi Società Agricola S.r.l.", "Cascina Ronchi"),
        ("Latteria Sociale Soc. Coop.", "Latteria Sociale"),
        ("Stadt Feldheim-Personalamt", "Stadt Feldheim"),  # the office after the town
        ("Regione Montalto - Portale Reclutamento", "Regione Montalto"),
        ("Okafor Brandt Architects", "Okafor Brandt Architects"),  # a practice, not a job
        ("Data Analyst", ""),  # a job where a firm should be
        ("Junior Architects", ""),
        ("Smart-People", "Smart-People"),  # only an office's word goes after a hyphen
        ("Office St Brendan's", "St Brendan's"),  # the school office before its school
    ],
)
def test_a_company_loses_its_street_and_its_legal_form(found: str, company: str) -> None:
    assert _clean_company(found) == company


@pytest.mark.parametrize(
    ("found", "text", "company"),
    [
        ("Ashbury", "the post of Lecturer at the University of Ashbury.", "University of Ashbury"),
        ("Alcántara", "el puesto de Analista en Banco Alcántara.", "Banco Alcántara"),
        (
            "Halvard Institute",
            "a position at the Halvard Institute for Molecular Medicine, Oxford.",
            "Halvard Institute for Molecular Medicine",
        ),
        (
            "Lehrstuhl für Hydrologie",
            "Lehrstuhl für Hydrologie\nUniversität Saalheim",
            "Universität Saalheim",
        ),
        (
            "Lehrstuhl für Angewandte Informatik",
            "Ihre Bewerbung am Lehrstuhl",
            "Lehrstuhl für Angewandte Informatik",
        ),
    ],
)
def test_a_company_is_named_in_full_as_the_mail_names_it(
    found: str, text: str, company: str
) -> None:
    """An institution by its whole name, and the institution over its department when
    the mail names both."""
    assert _tidy_company(found, text) == company


@pytest.mark.parametrize(
    ("signature", "contact"),
    [
        ("LEROUX Sylvie\nResponsable RH", "Sylvie Leroux"),
        ("Jean-Marc DUPONT\nDirecteur d'agence", "Jean-Marc Dupont"),
        ("MOLINA RUIZ, Carmen\nJefa de Selección", "Carmen Molina Ruiz"),
    ],
)
def test_a_surname_in_capitals_signs_in_the_usual_order(signature: str, contact: str) -> None:
    """Offices write the surname in capitals, first or last; a draft writes the name."""
    body = f"Bonjour,\n\nNous ne donnons pas suite à votre candidature.\n\nCordialement,\n{signature}\n"
    raw = build_mail("Votre candidature", body, sender=("Recrutement", "rh@ville-orgeval.example"))
    assert classify(raw).contact_name == contact


@pytest.mark.parametrize(
    ("body", "contact"),
    [
        # the signature glued to the last sentence, as some mailers send it
        (
            "Bonjour,\n\nNous avons retenu une autre candidature et ne donnerons pas suite à"
            " la vôtre.Bien à vous, Odile Marchand, Directrice, Hôtel du Port",
            "Odile Marchand",
        ),
        (
            "Hi Sam,\n\nThank you for applying. Unfortunately we have decided not to move"
            " forward with your application. Thanks, Dana Whitfield - Operations - Brookfarm",
            "Dana Whitfield",
        ),
        (
            "Dear Sam\nThank you for applying. Unfortunately we have filled the position and"
            " will not be taking your application further.Regards GRAHAM PIERCE Millbrook Farm",
            "Graham Pierce",
        ),
        # the firm and its department above the name, and a legal footer below it
        (
            "Sehr geehrte Frau Berg,\n\nleider müssen wir Ihnen mitteilen, dass wir uns für"
            " eine andere Bewerberin entschieden haben.\n\nFreundliche Grüße\n\n"
            "Sparkasse Oberland\nBereich Personal\nJana Wendt",
            "Jana Wendt",
        ),
        (
            "Dear Sam,\n\nAfter careful consideration, we regret to inform you that we have"
            " decided not to proceed with your application.\n\nKind regards\n\n[image: logo]\n\nPriya Raman\n"
            "Early Careers\nCorvane Ltd | 4 Dock Street, Leeds\n\nCorvane Ltd is registered in"
            " England, company number 0000042. This e-mail is confidential.",
            "Priya Raman",
        ),
        (
            # initials for the given name, vouched for by the post below or after a comma
            "Dear Alex,\n\nThank you for attending interview. I regret to inform you that we"
            " have appointed another candidate.\n\nYours sincerely,\n\nMrs K. Trelawney\n"
            "Headteacher",
            "K. Trelawney",
        ),
        (
            "Geachte heer Jansen,\n\nNa afloop van de procedure heeft de commissie besloten"
            " de voorkeur te geven aan een andere kandidaat.\n\nMet vriendelijke groet,\n\n"
            "M.A. de Wit, teamleider onderbouw\nHet Lindecollege",
            "M.A. de Wit",
        ),
        # a given name alone: ending a one-liner, or above the team it signs for
        (
            "Hoi Daan, dank je voor je mail, maar de vakantiebaan in de winkel is al vergeven."
            " Veel succes verder! Groetjes, Femke",
            "Femke",
        ),
        (
            "Hola Lucía, gracias por escribirnos. Ya hemos cubierto la vacante de camarera,"
            " lo siento mucho. Un saludo, Ximena.",
            "Ximena",
        ),
        (
            "Hallo Tarik,\n\nvielen Dank für deine Bewerbung. Leider haben wir uns für eine"
            " andere Person entschieden, die mehr Erfahrung mit Lagerlogistik mitbringt.\n\n"
            "Alles Gute für dich!\nMareike\nPeople & Culture\n\nCorvane GmbH · Hafenweg 3",
            "Mareike",
        ),
        # a doctor's degrees before the name, however many
        (
            "Sehr geehrter Herr Yilmaz,\n\nleider müssen wir Ihnen mitteilen, dass wir die"
            " Stelle anderweitig besetzt haben.\n\nMit kollegialen Grüßen\n\n"
            "Prof. Dr. med. Birgit Assmann\nChefärztin der Klinik für Neurologie",
            "Birgit Assmann",
        ),
        # a formal letter: the post on the line above the name, no sign-off of its own
        (
            "Madame,\n\nNous avons le regret de vous informer que votre candidature n'a pas"
            " été retenue.\n\nJe vous prie d'agréer, Madame, l'expression de mes salutations"
            " distinguées.\n\nPour le Président et par délégation,\nLe Responsable des"
            " Ressources Humaines,\n\nThibault Marchetti\n\nHôtel de Ville - Place du Marché"
            " - 31999 Corvane",
            "Thibault Marchetti",
        ),
        (
            "Gentile candidata,\n\nla informiamo che la sua candidatura non è stata"
            " accolta.\n\nIl Dirigente del Servizio Personale\nGiovanna Ferraris\n\n"
            "Comune di Corvane - Piazza Roma 1",
            "Giovanna Ferraris",
        ),
        # a name with its post after a comma, or signed for by someone
        (
            "Bonjour Sam,\n\nle poste a été pourvu, désolée.\n\nAmicalement,\n"
            "Maryse Callot, présidente\nAssociation Les Jardins du Lac",
            "Maryse Callot",
        ),
        (
            "Beste Sam,\n\nde vacature is inmiddels vervuld.\n\nMet vriendelijke groet,\n\n"
            "p.o. Ilse Verhoef\nOffice manager",
            "Ilse Verhoef",
        ),
        (
            "Beste Sam,\n\nhelaas hebben wij voor een andere kandidaat gekozen.\n\n"
            "Met vriendelijke groet,\ndrs. J.W. (Joost) Hartman\nAfdelingshoofd",
            "Joost Hartman",
        ),
        # a farewell from a place is a farewell
        (
            "Moin Sam,\n\ndie Stelle ist leider schon vergeben.\n\nGruß aus Husum\nFrauke Jensen",
            "Frauke Jensen",
        ),
        (
            "Gentile Sam,\n\nla informiamo che la sua candidatura non è stata selezionata e porgiamo"
            " distinti saluti.\n\nPer la Direzione\nIng. Marco Pellegrini\nIstituto Alpino",
            "Marco Pellegrini",
        ),
        # the name above its team's line that names the firm
        (
            "Hoi Sam,\n\nhelaas gaan we niet verder met je sollicitatie. Veel succes met je"
            " zoektocht!\n\nSanne de Boer\nTalent Acquisition Corvane\n\nDit bericht is"
            " automatisch verstuurd; je kunt er niet op antwoorden.",
            "Sanne de Boer",
        ),
    ],
)
def test_the_signer_is_found_in_a_messy_ending(body: str, contact: str) -> None:
    raw = build_mail(
        "Your application", body, sender=("Careers", "careers-noreply@corvane.example")
    )
    verdict = classify(raw)
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.contact_name == contact


@pytest.mark.parametrize(
    ("sender", "closing", "contact"),
    [
        (("Hugo de Marelune", "hugo@marelune.example"), "Hugo\nCo-fondateur, Marelune", "Hugo"),
        # she signs with the short form of her name: that is what she goes by
        (("Valentina de Brisa", "vale@brisa-app.example"), "Un abrazo,\nVale\nBrisa", "Vale"),
    ],
)
def test_a_founder_named_after_the_firm_is_the_contact_by_the_name_signed(
    sender: tuple[str, str], closing: str, contact: str
) -> None:
    body = (
        "Hola,\n\nmuchas gracias por la conversación. Al final hemos decidido seguir con otra"
        f" persona que ya conocía el sector.\n\n{closing}"
    )
    verdict = classify(build_mail("Gracias por tu tiempo", body, sender=sender))
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.contact_name == contact


def test_a_formal_letter_s_name_is_read_below_its_post() -> None:
    """A formal letter's "La Directrice …,\nName": the signer, among the mail's last
    lines only; a template printing the applicant's name under its first line has none."""
    letter = (
        "Je vous prie d'agréer l'expression de mes salutations distinguées.\n\nPour le Maire"
        " et par délégation,\nLa Directrice des Ressources Humaines,\n\nOdile Ferrand\n\n"
        "Hôtel de Ville - 1 place du Marché"
    )
    assert _name_below_post(letter) == "Odile Ferrand"
    template = (
        "Your application to Stock Analyst at Corvane\nSam Whitaker\nYour update from Corvane"
        "\nApplied on 3 March\nUnfortunately, Corvane did not select your application.\n\n"
        "Regards,\nCorvane"
    )
    assert _name_below_post(template) is None


def test_a_privacy_footer_s_purpose_is_no_title() -> None:
    """The purpose "ai fini della selezione del personale" names no job: a title never
    starts with a preposition."""
    text = Text(
        "Esito\nI dati sono trattati ai fini della selezione del personale, ai sensi del"
        " Regolamento UE 2016/679."
    )
    english = LEXICONS["en"]
    found = _scan_extractors(text, len("Esito"), english, english, "it")
    assert [value for value, _ in found["title"] if "personale" in value] == []


@pytest.mark.parametrize(
    ("sender", "body", "contact"),
    [
        # a robot sending in the recruiter's name, who signs above her team's line: her
        # name, never the employer's
        (
            ("Rocío Almazán", "no-reply@personio-mail.example"),
            "Hola Emilia,\n\ngracias por postularte. Por ahora decidimos avanzar con otras"
            " personas.\n\nSaludos,\nRocío Almazán\nReclutamiento · Grupo Nopalera",
            "Rocío Almazán",
        ),
        # the sender's name under the signer's full name is the shop's, whatever its
        # mailbox spells
        (
            ("Pan de Cea Olmedo", "pandeceaolmedo@correo.example"),
            "Hola Sergio,\n\nGracias por pasar a dejar el currículum. Por ahora no necesitamos"
            " a nadie más en el obrador.\n\nUn saludo,\nRosa María Quintanilla\nPan de Cea Olmedo",
            "Rosa María Quintanilla",
        ),
    ],
)
def test_the_display_name_and_the_signature_agree_on_who_writes(
    sender: tuple[str, str], body: str, contact: str
) -> None:
    verdict = classify(build_mail("Tu postulación", body, sender=sender))
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.contact_name == contact


_TEAM = ("Corvane Jobs", "jobs@corvane.example")


@pytest.mark.parametrize(
    ("sender", "body", "contact"),
    [
        # a wish to the reader ends the mail with the reader's name, not the signer's
        (
            _TEAM,
            "Hallo Tarik, danke für deine Bewerbung. Leider ist die Stelle schon vergeben."
            " Alles Gute, Tarik!",
            None,
        ),
        (_TEAM, "Hoi, de vacature is helaas al vervuld. Veel succes, Daan!", None),
        (_TEAM, "Unfortunately the role has been filled. Thank you, Alex!", None),
        # a device's or a mail client's line is nobody's signature
        (
            ("Larkfield Academy", "office@larkfield-academy.example"),
            "Dear Sam,\n\nThank you for applying. Unfortunately we have appointed another"
            " candidate.\n\nKind regards\n\nSent from the Larkfield Academy",
            None,
        ),
        (
            ("Lindenschule", "sekretariat@lindenschule.example"),
            "Hallo Sam,\n\nleider haben wir die Stelle bereits vergeben.\n\nViele Grüße\n\n"
            "Gesendet von der Lindenschule Verwaltung",
            None,
        ),
        # a product's name above the team in a footer
        (
            _TEAM,
            "Hello,\n\nunfortunately we will not be moving forward with your application."
            "\n\nPowered by\nAurora\nHR",
            None,
        ),
        # the founder's display name, from a mailbox of another domain: the name signed
        (
            ("Hugo de Marelune", "hugo.lefevre@mail.example"),
            "Bonjour,\n\nmalheureusement nous"
            " avons choisi un autre profil.\n\nBien à vous,\nHugo Lefèvre\nCo-fondateur, Marelune",
            "Hugo Lefèvre",
        ),
        # a farewell line or another name is no short form of hers
        (
            ("Graziella de Lume", "graziella@lume.example"),
            "Ciao,\n\npurtroppo abbiamo deciso di"
            " proseguire con un altro candidato.\n\nGrazie\nGraziella Rossi\nPastificio Lume",
            "Graziella Rossi",
        ),
        (
            ("Anabel de Brisa", "anabel@brisa.example"),
            "Hola,\n\nhemos decidido seguir con otra"
            " persona.\n\nUn abrazo,\nAna\nRecursos Humanos\nBrisa",
            None,
        ),
        # every degree of a doctor comes off
        (
            _TEAM,
            "Sehr geehrte Frau Berg,\n\nleider haben wir uns für eine andere Bewerberin"
            " entschieden.\n\nMit freundlichen Grüßen\n\nDr. med. dent. Birgit Assmann\nPraxisinhaberin",
            "Birgit Assmann",
        ),
        # a template that prints the applicant's name below its first line is no signer
        (
            _TEAM,
            "Your application to Stock Analyst at Corvane\nSam Whitaker\nYour update from"
            " Corvane\nApplied on 3 March\nUnfortunately, Corvane did not select your"
            " application to move forward.\n\nRegards,\nCorvane",
            None,
        ),
        # nor is the applicant's name on a summary card below the mail
        (
            _TEAM,
            "Hi Alex,\n\nunfortunately we have chosen another candidate.\n\nThe Corvane team"
            "\n\nSenior Accountant\nAlex Morgan",
            None,
        ),
        # a surname is no shop, and a name with its degree after the comma is a name
        (
            ("Mikko Salonen", "mikkosalonen@gmail.com"),
            "Hei Sam,\n\nunfortunately the role"
            " has been filled.\n\nBest,\nMikko Salonen\nHR Manager",
            "Mikko Salonen",
        ),
        # a shop's name is no person's, nor is "your pharmacy"
        (
            ("Salone Aurora", "saloneaurora@posta.example"),
            "Buongiorno,\n\nal momento non cerchiamo personale, grazie.\n\nSalone Aurora",
            None,
        ),
        # a firm named "X da Y", whose mailbox spells it whole, is no founder "X": its
        # signer is
        (
            ("Sabor da Serra", "rh@sabordaserra.example"),
            "Bom dia,\n\ninformamos que não foi selecionado.\n\nCumprimentos,\n"
            "Beatriz Costa Pinto\nRecursos Humanos",
            "Beatriz Costa Pinto",
        ),
    ],
)
def test_the_signer_is_nobody_the_mail_only_greets_wishes_or_advertises(
    sender: tuple[str, str], body: str, contact: str | None
) -> None:
    verdict = classify(build_mail("Deine Bewerbung", body, sender=sender))
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.contact_name == contact


@pytest.mark.parametrize(
    "subject",
    ["Your application to Quillmark / Berlin", "Your application to Quillmark / Ref 1234"],
)
def test_a_firm_before_a_slash_and_a_place_stays_the_firm(subject: str) -> None:
    body = "Thank you for your interest. Unfortunately, your application was not selected."
    verdict = classify(build_mail(subject, body, sender=("Dana Whitlock", "dana@mail.example")))
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.company == "Quillmark"


CASES = tomllib.loads((Path(__file__).parent / "extraction_cases.toml").read_text("utf-8"))["case"]
FIELDS = ("company", "job_title", "contact_name")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_extraction_case(case: dict) -> None:
    """Each invented mail gives the values a draft may use, and None where it must."""
    headers = {"Reply-To": case["reply_to"]} if "reply_to" in case else None
    raw = build_mail(case["subject"], case["body"], sender=tuple(case["sender"]), headers=headers)
    verdict = classify(raw)
    assert verdict.label.value == "rejection", verdict.reasons
    for field in FIELDS:
        if field in case:
            assert getattr(verdict, field) == case[field], field
    for field in case.get("none", ()):
        assert getattr(verdict, field) is None, field
    if "not_company" in case:
        assert verdict.company != case["not_company"]


_PT_NO = "Infelizmente, optamos por seguir com outros candidatos.\n\nAtenciosamente,"
_FR_NO = "Malheureusement, nous avons retenu une autre candidature.\n\nCordialement,"
_EN_NO = "Unfortunately, you have not been successful on this occasion.\n\nKind regards,"


@pytest.mark.parametrize(
    ("sentence", "decision", "title"),
    [
        (
            "Agradecemos seu interesse na vaga de Operador(a) de Caixa - Loja Centro.",
            _PT_NO,
            "Operador(a) de Caixa",
        ),
        (
            "Merci pour votre candidature au poste d'Employé(e) libre-service - rayon"
            " boulangerie, magasin de Vierzon.",
            _FR_NO,
            "Employé(e) libre-service",
        ),
        (
            "Thank you for attending the panel for the post of Senior Radiographer on 9 March.",
            _EN_NO,
            "Senior Radiographer",
        ),
    ],
)
def test_a_title_after_the_noun_of_the_job_runs_to_its_end(
    sentence: str, decision: str, title: str
) -> None:
    """A gender ending glued on in brackets does not end the title; a dash or a date does."""
    body = f"{sentence}\n\n{decision}\nRenata Oliveira"
    verdict = classify(build_mail("Candidatura", body))
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.job_title == title


def test_confidences_are_reported_and_gate_the_fields() -> None:
    """Each field carries its confidence; a filled field is at or over the fill point."""
    raw = build_mail(
        "Your application",
        REJECTION + "Best,\nGrace O'Neill",
        sender=("Grace O'Neill (Recruiting)", "grace.oneill@contoso.example"),
    )
    extraction = classify(raw).extraction
    for field in FIELDS:
        sure = getattr(extraction, f"{field}_confidence")
        assert 0.0 <= sure <= 1.0
        assert (getattr(extraction, field) is not None) == (sure >= FILL_AT), field
    assert json.dumps(classify(raw).to_dict())


def test_the_tagger_alone_fills_a_title_that_names_an_occupation_at_a_lower_point() -> None:
    """Nearly sure is enough for a job the occupation list knows, never for other words."""

    def alone(value: str, sureness: float) -> float:
        reading = spans.Reading(spans.Found(value, sureness, "body"), None)
        return _decide(None, 0.0, reading, _clean_title, TITLE_TRUST)[1]

    assert alone("Planning Officer", 0.92) >= FILL_AT
    assert alone("Regulatory Affairs", 0.92) < FILL_AT  # a department, no occupation
    assert alone("Planning Officer", 0.85) < FILL_AT


@pytest.mark.parametrize(
    ("judged", "company"),
    [(0.2, "Quillfeather Books"), (0.05, None), (None, None)],
)
def test_a_firm_the_rules_were_unsure_of_stands_on_the_tagger_s_word(
    judged: float | None, company: str | None
) -> None:
    """Named once in the body, unopposed: filled when the tagger thinks something of it,
    never when it thinks nothing of it ("Talento", "People" score about 0)."""
    weak = spans.Found("Quillfeather Books", judged, "b") if judged is not None else None
    reading = spans.Reading(best=None, rules=None, weak=weak)
    value, sure = _judged_weak("Quillfeather Books", reading, None, 0.49)
    assert value == company
    assert (sure >= FILL_AT) == (company is not None)


@pytest.mark.parametrize(
    ("sender", "body", "company", "contact"),
    [
        (
            ("StellenBote", "nachrichten@stellenbote.example"),
            "Hallo Alex Wagner,\n\nMetallbau Kessler hat Ihnen eine Nachricht zu Ihrer"
            " Bewerbung gesendet:\n\n„Sehr geehrter Herr Wagner, vielen Dank für Ihre"
            " Bewerbung. Leider haben wir uns für einen anderen Bewerber entschieden."
            " Freundliche Grüße, Jonas Kessler“\n\nIhr StellenBote-Team",
            "Metallbau Kessler",
            "Jonas Kessler",
        ),
        (
            ("EmploiRapide", "messages@emploirapide.example"),
            "Bonjour Alex,\n\nLe recruteur Crêperie du Port a répondu à votre candidature :\n\n"
            "« Bonjour, merci pour votre candidature mais le poste est pourvu. Bonne"
            " continuation. Gaëlle »\n\nDécouvrez d'autres offres sur Emploi Rapide.",
            None,
            "Gaëlle",
        ),
    ],
)
def test_a_board_relaying_the_employer_s_message_names_its_signer(
    sender: tuple[str, str], body: str, company: str | None, contact: str
) -> None:
    """The board's own team is no employer; the quoted message's signer is the contact."""
    verdict = classify(build_mail("Ihre Bewerbung", body, sender=sender))
    assert verdict.label.value == "rejection", verdict.reasons
    if company:
        assert verdict.company == company
    assert verdict.contact_name == contact


def test_the_signer_s_own_post_is_no_title_of_the_tagger_s() -> None:
    signature = ["Paolo Riva", "Direttore Commerciale", "Frantoio Riva S.r.l."]
    body = "Gentile Andrea,\n\nabbiamo scelto un altro candidato.\n\nSaluti,\n" + "\n".join(
        signature
    )
    assert _signer_s_post("Direttore Commerciale", "Ultimo colloquio", body, signature)
    # the post the mail is about, named before the signature too, stays
    named = "Gentile Andrea,\n\nper il ruolo di Direttore Commerciale abbiamo scelto altri.\n"
    assert not _signer_s_post("Direttore Commerciale", "Esito", named + body, signature)
    assert not _signer_s_post("Direttore Commerciale", "Direttore Commerciale", body, signature)


def test_a_tagger_reading_that_only_runs_on_keeps_the_rules_value() -> None:
    """Words after the rules' title that name no job are the tagger's overreach; words
    that name one are another job ("Data Engineering Manager" is not "Data Engineer")."""

    def decided(ruled: str, reading: str) -> str | None:
        found = spans.Reading(spans.Found(reading, 0.85, "subject"), None)
        return _decide(ruled, 0.7, found, _clean_title, TITLE_TRUST)[0]

    assert decided("Data Engineer Intern", "Data Engineer Intern - New") == "Data Engineer Intern"
    assert decided("Nurse", "Nurse Practitioner") == "Nurse Practitioner"
    # a reading inside the rules' title doubts an edge, unless the rest is a sentence's
    assert decided("Lead Technical Artist", "Technical Artist") == "Lead Technical Artist"
    assert decided("Dein Case für Product Manager", "Product Manager") == "Product Manager"
    # the same words with other marks between them: a colon for the subject's dash
    ruled = "Data Scientist - Ads Analytics - Summer Internship"
    assert decided(ruled, "Data Scientist: Ads Analytics - Summer Internship - New") == ruled


def test_a_job_written_with_a_slash_is_no_firm() -> None:
    """In "applying to Python / Django Developer at Quillmark" the run goes on past the
    slash, so what stands before it is a job's word, not the employer."""
    body = "Thank you for your interest. Unfortunately, your application was not selected."
    verdict = classify(
        build_mail(
            "Your application to Python / Django Developer at Quillmark",
            body,
            sender=("Job board notifications", "no-reply@jobboard.example"),
        )
    )
    assert verdict.label.value == "rejection", verdict.reasons
    assert (verdict.company, verdict.job_title) == ("Quillmark", "Python / Django Developer")


def test_a_tagger_that_cuts_an_unsure_firm_short_gives_the_whole_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tagger sure of "Logistics" inside "Fennimore Logistics", the firm the rules were
    unsure of: the whole name, as the mail writes it."""
    whole = "Fennimore Logistics"

    def cut_short(view, language, hints, weak=None):
        return {
            spans.TITLE: spans.Reading(None, None),
            spans.COMPANY: spans.Reading(
                spans.Found("Logistics", 0.95, spans.BODY),
                None,
                spans.Found(whole, 0.4, spans.BODY),
            ),
        }

    monkeypatch.setattr(spans, "find", cut_short)
    body = (
        f"Hi Marcus,\n\nThanks again for interviewing with {whole} on Tuesday. I spoke with"
        " their manager this morning: unfortunately they have decided to go with another"
        " candidate.\n\nBest,\nDana Whitlock"
    )
    sender = ("Dana Whitlock", "dwhitlock@brightpathstaffing.example")
    verdict = classify(build_mail("Feedback", body, sender=sender))
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.company == whole


def _employer(sender: tuple[str, str], body: str) -> str | None:
    """The company a rejection from ``sender`` with ``body`` names; it must be one."""
    verdict = classify(build_mail("Your application", body, sender=sender))
    assert verdict.label.value == "rejection", verdict.reasons
    return verdict.company


@pytest.mark.parametrize(
    ("sender", "body", "company"),
    [
        (
            # an agency's recruiter: the client the mail names is the employer
            ("Owen Marsh | Harbourline Talent", "owen.marsh@harbourline-talent.example"),
            "Dear Alex,\n\nThank you for your interest in the Stock Controller role with"
            " Pellbrook Provisions. Unfortunately, Pellbrook Provisions have decided not to"
            " take your application further.\n\nKind regards,\nOwen Marsh",
            "Pellbrook Provisions",
        ),
        (
            # a tracking system's robot for the firm its footer registers
            ("Personio Recruiting", "no-reply@mail.personio.example"),
            "Hallo Alex,\n\nvielen Dank für Ihre Bewerbung. Leider haben wir uns für eine"
            " andere Bewerberin entschieden.\n\nMit freundlichen Grüßen\nJana Roth\n"
            "Dorfner Stahlbau GmbH\nHafenweg 3, 28197 Bremen",
            "Dorfner Stahlbau",
        ),
        (
            # a job board relays the employer's answer under its own name
            ("Job board notifications", "no-reply@jobboard.example"),
            "Hello Alex,\n\nThank you for applying to the Junior Developer role at Kestrix"
            " Systems. Unfortunately the employer has decided not to move forward with your"
            " application.\n\nJob board notifications",
            "Kestrix Systems",
        ),
    ],
)
def test_the_employer_is_named_when_an_agency_or_a_tracking_system_writes(
    sender: tuple[str, str], body: str, company: str
) -> None:
    assert _employer(sender, body) == company


@pytest.mark.parametrize(
    ("sender", "body", "company"),
    [
        (
            # a professor writes; the institute signs last, particles and all
            ("Marta Quiroga", "mquiroga@iel-almeria.example"),
            "Estimado Sr. Vidal:\n\nLe agradezco su interés en el contrato predoctoral de mi"
            " grupo. Lamentablemente, la comisión ha seleccionado a otra candidata.\n\n"
            "Un saludo cordial,\nDra. Marta Quiroga\nInvestigadora Principal\n"
            "Instituto de Estudios del Litoral de Almería",
            "Instituto de Estudios del Litoral de Almería",
        ),
        (
            # a department and its university on one line: the university
            ("Prof. Luca Ferri", "luca.ferri@unibrenta.example"),
            "Gentile Dott. Gallo,\n\nla ringrazio per la candidatura all'assegno di ricerca."
            " Purtroppo la commissione ha scelto un altro candidato.\n\nCordiali saluti,\n"
            "Luca Ferri\nDipartimento di Fisica – Università di Brenta",
            "Università di Brenta",
        ),
        (
            # a ministry's robot, named only in the text
            ("Selectie", "noreply@selectie.example"),
            "Geachte heer Bakker,\n\nU solliciteerde naar de functie Beleidsmedewerker"
            " Vaarwegen bij het Ministerie van Wegen en Vaarwegen. Helaas moeten wij u"
            " meedelen dat u niet bent uitgenodigd voor een gesprek.",
            "Ministerie van Wegen en Vaarwegen",
        ),
        (
            # the sender's address spells the short name; the mail always writes it whole
            ("Tamsin Reid", "tamsin@harrowgatebrewing.example"),
            "Hi Alex,\n\nThanks for applying to work with us at Harrowgate Brewing Collective."
            " We have now filled the taproom role, so we won't be taking your application"
            " further.\n\nAll the best,\nTamsin Reid\nHarrowgate Brewing Collective",
            "Harrowgate Brewing Collective",
        ),
    ],
)
def test_an_institution_or_a_firm_is_named_as_the_mail_writes_it_whole(
    sender: tuple[str, str], body: str, company: str
) -> None:
    assert _employer(sender, body) == company


@pytest.mark.parametrize(
    ("sender", "body", "company"),
    [
        (
            ("Nadia Quinn | Fellgate Recruitment", "nadia@fellgate-recruitment.example"),
            "Hi Alex,\n\nI've heard back from Ashcombe Dairies about the shift manager role."
            " Sadly they have decided not to take things further.\n\nBest,\nNadia Quinn",
            "Ashcombe Dairies",
        ),
        (
            # "der Hansen …": a surname ending in -en is no declined adjective
            ("Ute Krämer", "u.kraemer@kraemer-personalberatung.example"),
            "Hallo Herr Nowak,\n\nich habe eine Rückmeldung von der Petersen & Lange"
            " Fördertechnik erhalten. Leider hat man sich gegen Ihre Bewerbung entschieden.\n\n"
            "Viele Grüße\nUte Krämer",
            "Petersen & Lange Fördertechnik",
        ),
        (
            ("Léa Marchand", "lea.marchand@cabinet-recrutement-ouest.example"),
            "Bonjour Alex,\n\nJ'ai eu un retour de Conserveries Kerlann : ils ont retenu un"
            " autre candidat pour le poste.\n\nBien à vous,\nLéa Marchand",
            "Conserveries Kerlann",
        ),
        (
            ("Iván Roldán", "ivan.roldan@seleccion-norte.example"),
            "Hola Alex:\n\nHe recibido respuesta de Lácteos Valdeón y, por desgracia, han"
            " decidido seguir con otra candidatura.\n\nUn saludo,\nIván Roldán",
            "Lácteos Valdeón",
        ),
        (
            ("Sanne Kok", "sanne.kok@uitzendbureau-delta.example"),
            "Hoi Alex,\n\nIk heb een reactie gekregen van Kaasmakerij Westland: ze gaan helaas"
            " verder met een andere kandidaat.\n\nGroetjes,\nSanne Kok",
            "Kaasmakerij Westland",
        ),
        (
            ("Chiara Neri", "chiara.neri@agenzia-lavoro-est.example"),
            "Ciao Alex,\n\nho avuto un riscontro da Salumificio Brianza: purtroppo hanno"
            " scelto un altro candidato.\n\nA presto,\nChiara Neri",
            "Salumificio Brianza",
        ),
        (
            ("Rui Pacheco", "rui.pacheco@recrutamento-sul.example"),
            "Olá Alex,\n\nTive o retorno da Conservas Ribamar e infelizmente decidiram avançar"
            " com outro candidato.\n\nAbraço,\nRui Pacheco",
            "Conservas Ribamar",
        ),
        (
            # the process for the client, and the client as the one who decided
            ("Marta Gil", "marta.gil@talento-norte.example"),
            "Hola Alex:\n\nTe escribo sobre el proceso de Jefe de Almacén para Aceites del"
            " Segura. El cliente ha decidido continuar con otros candidatos.\n\nUn saludo,\n"
            "Marta Gil",
            "Aceites del Segura",
        ),
        (
            ("Jan Vogt | Arbeitswerk Personaldienste", "j.vogt@arbeitswerk.example"),
            "Hallo Herr Kaya,\n\nich hatte Ihre Unterlagen an unseren Kunden, die Brenner"
            " Logistik GmbH, weitergeleitet. Leider hat sich der Kunde für einen anderen"
            " Bewerber entschieden.\n\nViele Grüße\nJan Vogt",
            "Brenner Logistik",
        ),
        (
            ("Claire Roux", "claire.roux@opale-rh.example"),
            "Bonjour Alex,\n\nJe vous informe que la société Moulins Garrigue, pour laquelle"
            " nous recrutons un Responsable Qualité, a retenu un autre profil.\n\nBien à vous,\n"
            "Claire Roux\nChargée de recrutement - Opale RH",
            "Moulins Garrigue",
        ),
        (
            ("Hugo Lenoir", "h.lenoir@cabinet-lenoir.example"),
            "Bonjour Alex,\n\nJe reviens vers vous au sujet du poste de Contrôleur de gestion"
            " au sein de Fonderies Kermadec. Notre client a souhaité poursuivre avec d'autres"
            " candidats.\n\nCordialement,\nHugo Lenoir\nCabinet Lenoir Conseil",
            "Fonderies Kermadec",
        ),
        (
            # an unnamed client: no firm, and never the words after "the client,"
            ("Owen Pryce", "owen.pryce@northwell-talent.example"),
            "Dear Alex,\n\nHaving discussed your CV with the client, I'm afraid they will not"
            " be taking your application further.\n\nRegards,\nOwen Pryce\nNorthwell Talent",
            None,
        ),
    ],
)
def test_an_agency_s_news_from_its_client_names_the_client(
    sender: tuple[str, str], body: str, company: str | None
) -> None:
    assert _employer(sender, body) == company


@pytest.mark.parametrize(
    ("sender", "body", "company"),
    [
        (
            # an employer's own client is no agency's: the firm stays
            ("Brightwave Careers", "jobs@brightwave.example"),
            "Dear Alex,\n\nThank you for applying for the Account Manager position at"
            " Brightwave. We put the client at the heart of everything we do, and we have"
            " decided to move forward with other candidates.\n\nKind regards,\nBrightwave",
            "Brightwave",
        ),
        (
            ("Nordlicht Versand", "karriere@nordlicht-versand.example"),
            "Hallo Alex,\n\nbei uns steht der Kunde im Mittelpunkt. Leider haben wir uns für"
            " eine andere Bewerberin entschieden.\n\nViele Grüße\nNordlicht Versand",
            "Nordlicht Versand",
        ),
        (
            # a person the mail heard back from is no firm
            ("Careers", "careers@quillon.example"),
            "Hi Alex,\n\nI've had feedback from Sarah Jones, the hiring manager, and"
            " unfortunately we won't be moving forward with your application.\n\nBest,\nTom",
            None,
        ),
        (
            # a public employer whose name says "agenzia" is no staffing agency
            ("Agenzia Entrate", "concorsi@agenziaentrate.example"),
            "Gentile candidato,\n\nla ringraziamo per la sua candidatura per il profilo di"
            " Funzionario Tributario. Purtroppo abbiamo deciso di non proseguire con la sua"
            " candidatura.\n\nCordiali saluti,\nAgenzia Entrate",
            "Agenzia Entrate",
        ),
        # an agency recruiting for a client it does not name: its own name is no employer
        (
            ("Ines Correia", "ines.correia@vagaplus.example"),
            "Olá Bruno,\n\nobrigado pela candidatura à vaga de Motorista para um cliente do"
            " setor alimentar. Informamos que não foi selecionado.\n\nCumprimentos,\n"
            "Ines Correia\nConsultora – VagaPlus",
            None,
        ),
        (
            ("Marco Ferri", "m.ferri@lavoroinrete.example"),
            "Gentile Sara,\n\nla ringraziamo per la candidatura per un'importante azienda"
            " cliente del settore alimentare. Purtroppo il suo profilo non è stato selezionato."
            "\n\nCordiali saluti,\nMarco Ferri\nLavoroInRete",
            None,
        ),
        (
            ("Léa Marchand", "lea.marchand@orvane-conseil.example"),
            "Bonjour,\n\nmerci pour votre candidature au poste de comptable pour l'un de nos"
            " clients. Malheureusement, votre profil n'a pas été retenu.\n\nBien cordialement,"
            "\nLéa Marchand\nOrvane Conseil",
            None,
        ),
        # a firm's own customers make it no agency
        (
            ("Ana Reis", "ana.reis@lojasluz.example"),
            "Olá,\n\na nossa equipa dedica-se ao atendimento ao cliente. Infelizmente não foi"
            " selecionada para a vaga.\n\nCumprimentos,\nAna Reis\nLojas Luz",
            "Lojas Luz",
        ),
    ],
)
def test_no_employer_is_lost_or_made_up_by_an_agency_s_words(
    sender: tuple[str, str], body: str, company: str | None
) -> None:
    assert _employer(sender, body) == company


@pytest.mark.parametrize(
    ("sender", "signature", "company"),
    [
        # the owner signs, the firm's line below her name; the mailbox spells a word of it
        (
            ("", "post@quarrybeck-and-daughters.example"),
            "Ruth Quarrybeck\nQuarrybeck & Daughters Stonemasons",
            "Quarrybeck & Daughters Stonemasons",
        ),
        # a tracking system's robot: the recruiting team's line vouches for its firm
        (
            ("Careers", "no-reply@personio-mail.example"),
            "Jonas Weller\nSenior Recruiter\nTalent Team · Ostwind Kaffeerösterei",
            "Ostwind Kaffeerösterei",
        ),
        # nothing spells or vouches for the line: a department, not the employer
        (
            ("Careers", "no-reply@personio-mail.example"),
            "Jonas Weller\nAbteilung Verkauf",
            None,
        ),
        # an agency's own line is not the employer
        (
            ("Jonas Weller", "jonas@weller-personalberatung.example"),
            "Jonas Weller\nWeller Personalberatung",
            None,
        ),
        # a team's line that names a site or a label, and a line the signer's own name
        # spells, name no firm
        (("Careers", "no-reply@personio-mail.example"), "Jonas Weller\nHR | Region Nord", None),
        (
            ("Jenna Hart", "jenna.hart@gmail.com"),
            "Jenna Hart\nConnect with Jenna on LinkedIn",
            None,
        ),
        # on a free mailbox the signer's surname vouches for a firm's name, never a slogan
        (
            ("Margaret Hendry", "margaret.hendry@gmail.com"),
            "Margaret Hendry\nHendry & Sons Joinery",
            "Hendry & Sons Joinery",
        ),
        (
            ("Maria Kowalski", "maria.kowalski@gmail.com"),
            "Maria Kowalski\nKowalski Family Recipes Since Forever",
            None,
        ),
        # partners' names joined by "&" are one name, and the mailbox spells "and"
        (
            ("Owen Pell", "owen@pellandmarsh.example"),
            "Owen Pell\nPartner\nPell & Marsh, chartered surveyors",
            "Pell & Marsh",
        ),
    ],
)
def test_the_firm_signing_under_its_writer_s_name_is_the_employer(
    sender: tuple[str, str], signature: str, company: str | None
) -> None:
    body = (
        "Hello Sam,\n\nthanks for dropping off your CV last week. We have no opening at"
        " the moment and cannot take your application further, I am afraid.\n\n"
        f"Best wishes,\n{signature}"
    )
    assert _employer(sender, body) == company


@pytest.mark.parametrize(
    ("sender", "body", "company", "contact"),
    [
        # a shop whose own mailbox spells its display name, signed by its owner
        (
            ("Osteria Da Bruno", "osteriadabruno@posta.example"),
            "Ciao Sam,\n\nabbiamo già trovato qualcuno per la sala, mi spiace.\n\nUn saluto\nBruno",
            "Osteria Da Bruno",
            "Bruno",
        ),
        # a practice named after its partners and their trade
        (
            ("Okafor Brandt Architects", "studio@okaforbrandt.example"),
            "Dear Sam,\n\nthank you for your portfolio; unfortunately we are not taking anyone"
            " on at the moment.\n\nBest,\nNgozi Okafor",
            "Okafor Brandt Architects",
            "Ngozi Okafor",
        ),
        # a board names the employer by its noun
        (
            ("LavoroSubito", "notifiche@lavorosubito.example"),
            "Ciao Sam,\n\nl'azienda Panificio Rosetti ha valutato la tua candidatura e ha deciso"
            " di non procedere.\n\nIl team LavoroSubito",
            "Panificio Rosetti",
            None,
        ),
    ],
)
def test_a_small_employer_is_named_by_its_own_name(
    sender: tuple[str, str], body: str, company: str, contact: str | None
) -> None:
    verdict = classify(build_mail("Candidatura", body, sender=sender))
    assert verdict.label.value == "rejection", verdict.reasons
    assert (verdict.company, verdict.contact_name) == (company, contact)


def test_a_firm_s_robot_quoting_the_applicant_never_makes_the_applicant_the_contact() -> None:
    body = (
        'Dear Alex,\n\nThank you for your message "I wanted to ask about the status of my'
        ' application. Kind regards, Alex Candidate". Unfortunately we have decided not to'
        " move forward with your application.\n\nAcme Recruiting"
    )
    verdict = classify(
        build_mail("Re: status", body, sender=("Acme Recruiting", "no-reply@acme.example"))
    )
    assert verdict.contact_name is None


def test_a_phrase_of_the_subject_never_reads_the_body_s_first_word_as_a_firm() -> None:
    verdict = classify(
        build_mail(
            "Feedback do cliente",
            "Fala, Alex!\nO cliente deu retorno e não vai seguir com o seu perfil.\nAbraço",
            sender=("Thiago Reis", "thiago@alocatech.example"),
        )
    )
    assert verdict.company is None


@pytest.mark.parametrize(
    ("subject", "body", "title"),
    [
        (
            # a requisition's number in brackets between the title and "opportunity"
            "Your Application Status",
            "Dear Alex,\n\nThank you for your interest in the Principal Scientist, Formulation"
            " (Job Number: 77120B) opportunity at Harlow Biologics. We have decided to pursue"
            " other candidates.\n\nRegards,\nTalent Acquisition",
            "Principal Scientist, Formulation",
        ),
        (
            "Actualización de su postulación en Distribuidora Austral",
            "Estimado Alex:\n\nGracias por su interés en el cargo de Jefe de Bodega (ID 7781)"
            " en Distribuidora Austral. Lamentamos informarle que su postulación no continuará"
            " en el proceso.\n\nAtentamente,\nEquipo de Selección",
            "Jefe de Bodega",
        ),
        (
            "Ihre Bewerbung",
            "Sehr geehrte Frau Berg,\n\nIhre Bewerbung auf die Stelle einer Sachbearbeitung"
            " Wohngeld (EG 9a) haben wir geprüft. Leider können wir Sie nicht berücksichtigen."
            "\n\nMit freundlichen Grüßen\nPersonalamt",
            "Sachbearbeitung Wohngeld",
        ),
        (
            # a letter's reference line names the post as a subject would
            "Regarding your application",
            "Dear Alex,\n\nRe: Vacancy 55-1209 - Occupational Therapist - Stroke Unit\n\n"
            "Thank you for applying. Unfortunately you have not been shortlisted on this"
            " occasion.\n\nYours sincerely,\nRecruitment Services",
            "Occupational Therapist",
        ),
        (
            "Ihre Bewerbung",
            "Sehr geehrter Herr Yilmaz,\n\nBetreff: Ausschreibung 14/2026 - Sachbearbeiter"
            " Vergabe (E 10 TVöD)\n\nvielen Dank für Ihre Bewerbung. Leider müssen wir Ihnen"
            " mitteilen, dass wir uns für eine andere Bewerberin entschieden haben.\n\n"
            "Mit freundlichen Grüßen\nPersonalreferat",
            "Sachbearbeiter Vergabe",
        ),
        (
            # where the job is, after the subject's title: the job said in the subject
            "Convocatoria Técnico de Campo - Cancelada",
            "Estimado señor Ruiz:\n\nGracias por su postulación. Lamentamos informarle que la"
            " convocatoria para el cargo de Técnico de Campo en Medellín ha sido cancelada y que"
            " su candidatura no seguirá en el proceso de selección.\n\n"
            "Cordialmente,\nCoordinación de Talento Humano",
            "Técnico de Campo",
        ),
        (
            # a requisition number before the title, the place after a spaced dash
            "Aggiornamento candidatura",
            "Buongiorno Marta,\n\ngrazie per la candidatura alla posizione JR-20817 Addetta"
            " Ufficio Acquisti – Bergamo in Ferrovie Alpine.\n\nPurtroppo abbiamo scelto di"
            " proseguire con altri profili.\n\nCordiali saluti\nTalent Acquisition",
            "Addetta Ufficio Acquisti",
        ),
        (
            "Your application",
            "Dear Alex,\n\nHaving compared your profile with the requirements of the Assistant"
            " Site Manager post in our Derby office, we will not be taking your application"
            " further.\n\nYours sincerely,\nPeople Services",
            "Assistant Site Manager",
        ),
        (
            "Tu postulación",
            "Hola Alex:\n\n¡Gracias por postularte a Diseñadora UX, Pagos en Tucumana Labs!"
            " Revisamos tu perfil y decidimos avanzar con otras personas.\n\nSaludos,\n"
            "Equipo de Talento",
            "Diseñadora UX, Pagos",
        ),
    ],
)
def test_templates_name_the_title_through_their_furniture(
    subject: str, body: str, title: str
) -> None:
    verdict = classify(build_mail(subject, body, sender=("Careers", "noreply@careers.example")))
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.job_title == title


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("at Harrowgate Brewing Collective. Thanks", "Harrowgate Brewing Collective"),
        # written alone once: the short name is the mail's own
        ("Harrowgate Brewing Collective\nthe Harrowgate Brewing team", "Harrowgate Brewing"),
        # two different tails share no word
        ("Harrowgate Brewing Taproom; Harrowgate Brewing Kitchen", "Harrowgate Brewing"),
        # a legal form's letters, a team and the job are no part of the name
        ("Harrowgate Brewing S.r.l.", "Harrowgate Brewing"),
        ("the Harrowgate Brewing Recruiting Team", "Harrowgate Brewing"),
        ("the Harrowgate Brewing Data Team", "Harrowgate Brewing"),  # a unit, whatever its name
        ("Harrowgate Brewing Human Resources", "Harrowgate Brewing"),
        ("Harrowgate Brewing Data Analyst", "Harrowgate Brewing"),
    ],
)
def test_a_short_name_the_mail_never_writes_alone_is_written_whole(text: str, whole: str) -> None:
    assert _written_whole("Harrowgate Brewing", text) == whole


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        (
            "Ihre Bewerbung",
            "Guten Tag,\n\nStelle: Sachbearbeiter Wohngeld\nKennziffer: 44/2026\n\nleider"
            " müssen wir Ihnen mitteilen, dass wir Ihre Bewerbung nicht berücksichtigen"
            " können.\n\nMit freundlichen Grüßen\nPersonalamt",
            {"job_title": "Sachbearbeiter Wohngeld"},
        ),
        (
            "Application outcome",
            "Dear Alex Morgan,\n\nJob title: Healthcare Assistant\nReference: 301-HC-2210\n"
            "Employer: Northmoor Community Health Trust\n\nThank you for applying. We regret"
            " that your application has not been shortlisted on this occasion.\n\nRecruitment",
            {"job_title": "Healthcare Assistant", "company": "Northmoor Community Health Trust"},
        ),
    ],
)
def test_a_structured_mail_names_the_post_and_the_employer_on_labelled_lines(
    subject: str, body: str, expected: dict[str, str]
) -> None:
    verdict = classify(build_mail(subject, body, sender=("Jobs", "noreply@jobs.example")))
    assert verdict.label.value == "rejection", verdict.reasons
    for field, value in expected.items():
        assert getattr(verdict, field) == value, field


@pytest.mark.parametrize(
    ("subject", "sender", "body", "field", "value"),
    [
        (
            # the firm's recruiting team signs: a second vote for the firm the mail names
            "Update on your application",
            ("Greenhouse", "no-reply@us.greenhouse-mail.io"),
            "Hi Alex,\n\nThanks for your interest in joining Marrowby! We reviewed your"
            " application for the Support Engineer role and unfortunately we won't be"
            " moving forward at this time.\n\nBest,\nThe Marrowby Recruiting Team",
            "company",
            "Marrowby",
        ),
        (
            "Application status update",
            ("Careers", "noreply@smartrecruiters.com"),
            "Dear Alex,\n\nThank you for your interest in Pellworth. Unfortunately, the"
            " position you applied for, Inventory Planner II, has been filled.\n\n"
            "Kind regards,\nPellworth HR",
            "job_title",
            "Inventory Planner II",
        ),
        (
            # a committee signs by its chair: the chair is the contact, not the committee
            "Search for Lecturer in Statistics",
            ("Statistics Search Committee", "statsearch@greywater.example"),
            "Dear Alex,\n\nThank you for applying for the Lecturer in Statistics position."
            " After careful review we will not be inviting you to interview.\n\n"
            "Sincerely,\nProf. Imogen Hart\nChair, Statistics Search Committee",
            "contact_name",
            "Imogen Hart",
        ),
    ],
)
def test_what_templates_and_committees_name(
    subject: str, sender: tuple[str, str], body: str, field: str, value: str
) -> None:
    verdict = classify(build_mail(subject, body, sender=sender))
    assert verdict.label.value == "rejection", verdict.reasons
    assert getattr(verdict, field) == value


@pytest.mark.parametrize(
    ("value", "job"),
    [
        ("Underwriter Sachversicherung", True),  # a field compound after the occupation
        ("Uitvoerder Utiliteitsbouw", True),
        ("Sozialpädagog*in", True),  # the gender sign before the feminine ending
        ("Turner Construction", False),  # a firm named after a trade
        ("Baker Papadopoulos", False),
    ],
)
def test_a_field_after_an_occupation_is_the_job_s_but_a_firm_s_name_is_not(
    value: str, job: bool
) -> None:
    assert names_job(value) is job


@pytest.mark.parametrize(
    ("signature", "contact"),
    [
        ("Marnie\nNorthwind Ltd, 12 High Street", "Marnie"),  # the firm's line vouches
        ("London\nNorthwind Ltd", None),  # a place is no signer
        ("Confidentiality\nNorthwind Ltd is registered in England", None),
    ],
)
def test_a_lone_name_above_the_firm_s_line_signs(signature: str, contact: str | None) -> None:
    body = (
        "Dear Sam,\n\nUnfortunately we have decided not to move forward with your"
        f" application.\n\nWarm wishes,\n{signature}"
    )
    verdict = classify(
        build_mail("Your application", body, sender=("Northwind Ltd", "hello@northwind.example"))
    )
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.contact_name == contact


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Müller, Dr. Thomas", "Dr. Thomas Müller"),  # surname first, then a degree
        ("Frei Otto", "Frei Otto"),  # a given name, not a friar's title
        ("Odile Sarrazin, présidente", "Odile Sarrazin"),
    ],
)
def test_a_signature_line_reads_as_the_person_s_name(line: str, name: str) -> None:
    assert _person_line(line) == name


@pytest.mark.parametrize(
    "body",
    [
        # a full stop ends the firm before "As a …"
        "Thank you for your interest in joining Northwind. As a Global Leader in Logistics we"
        " receive many applications. Unfortunately we have decided not to proceed.",
        # a possessive is no lower-case title
        "Thanks for applying for this year's graduate role. Unfortunately we have decided not"
        " to move forward with your application.",
    ],
)
def test_no_title_is_read_across_a_stop_or_from_a_possessive(body: str) -> None:
    verdict = classify(build_mail("Your application", f"Dear Sam,\n\n{body}\n\nBest,\nAnna Berg"))
    assert verdict.label.value == "rejection", verdict.reasons
    assert verdict.job_title is None

"""French phrases (vous and tu forms)."""

from .lexicon import COMPANY, TITLE, Lexicon

_APPLICATION = r"(?:candidature|profil|dossier|cv|demande)"
_ROLE = r"(?:poste|offre|recrutement|position|mission|stage|alternance|processus)"
_OTHERS = (
    r"(?:d'autres|d’autres|un autre|une autre|autres) (?:\w+ )?(?:candidat\w*|profils?|personnes?)"
)

LEXICON = Lexicon(
    code="fr",
    decision=[
        r"(?:ne|n'|n’) ?(?:\w+ )?(?:\w+ )?(?:pas|plus) (?:pu |pouvoir |en mesure de |y )?"
        r"(?:donner (?:une )?suite|retenir|retenue?s?|poursuivre|aller plus loin|avancer"
        r"|répondre (?:favorablement|positivement))",
        r"(?:pas|plus|n'a pas|n’a pas) (?:été )?(?:retenue?s?|sélectionnée?s?|choisie?s?)",
        r"(?:ne|n'|n’) ?(?:sera|seront|sont|est|a|ont) (?:pas|plus) (?:été )?(?:retenue?s?"
        r"|sélectionnée?s?|poursuivie?s?)",
        r"(?:suite|réponse) (?:défavorable|négative)",
        r"(?:pas|ne pouvons pas|ne pourrons pas|ne sommes pas en mesure d[e'’]) ~ (?:donner suite"
        r"|répondre favorablement|poursuivre|proposer)",
        r"(?:choisi|retenu|opté pour|privilégié|sélectionné|décidé de poursuivre avec"
        rf"|continuer avec|poursuivre avec|avancer avec) (?:\w+ )?{_OTHERS}",
        rf"{_OTHERS} (?:dont|qui|plus|correspondant|correspond|mieux|davantage)",
        rf"(?:{_APPLICATION}|expérience|parcours) ~ (?:ne|n'|n’) ?(?:correspond|répond"
        r"|corresponde|colle) (?:pas|plus)",
        rf"(?:{_ROLE}) ~~ (?:a été|est|ont été|sont) (?:déjà |désormais |finalement |entre-temps )?"
        r"(?:pourvue?s?|clôturée?s?|annulée?s?|suspendue?s?|gelée?s?|fermée?s?|retirée?s?"
        r"|mise?s? en attente|mise?s? en pause)",
        r"(?:gel|suspension|arrêt) (?:des|de nos) (?:recrutements|embauches)",
        r"(?:pas|plus) (?:en mesure de )?(?:poursuivre|continuer) (?:le processus|avec (?:vous"
        r"|votre candidature|toi|ta candidature)|notre collaboration|l'aventure|le recrutement)",
        r"(?:ne|n'|n’) ?(?:avons|pouvons|allons) (?:pas|plus) ~ (?:retenir|poursuivre|donner suite"
        r"|vous proposer|te proposer|convier|inviter)",
        r"pas (?:été )?(?:retenue?s?|sélectionnée?s?) pour (?:la suite|un entretien|le poste"
        r"|la prochaine)",
        r"(?:ne|n'|n’) ?(?:est|était) pas (?:en )?(?:adéquation|ligne)",
        r"avons décidé de ne pas",
        r"(?:pas|plus) (?:de )?suite (?:favorable |positive )?(?:à|a) (?:votre|ta|cette)"
        r" (?:candidature|demande)",
        r"(?:confier|confié|attribuer|attribué|proposer|proposé) ~ (?:poste|mission|offre|rôle)"
        r" (?:à|a) (?:une?|un autre|une autre) (?:autre |personne|candidat\w*|profil)",
        r"(?:avec|pour|vers) (?:des|d'autres|un autre|une autre|un|une) (?:candidat\w*|profils?"
        r"|personnes?) (?:dont|qui|plus|davantage|ayant|disposant|correspondant)",
        r"(?:geler|gelé|gel|suspendre|suspendu|suspension|arrêter|arrêt) ~ (?:recrutements?"
        r"|embauches?)",
        r"(?:interrompre|interrompu|suspendre|suspendu|clore|clos|clôturer|clôturé|arrêter|arrêté"
        r"|mettre fin à|mis fin à) ~ (?:processus|recrutement|procédure)",
        r"(?:est|a été|sont|ont été) (?:\w+ )?(?:mise?s?) en (?:suspens|attente|pause|veille)",
        r"(?:réponse|issue) (?:négative|défavorable)",
    ],
    soft=[
        r"(?:regret|regrettons|au regret|avons le regret|sommes au regret|regrette) de"
        r" (?:vous|t[e'’]) (?:informer|annoncer|faire part|indiquer|dire)",
        r"(?:décision|choix) (?:difficile|n'a pas été facile|n’a pas été facile)",
        r"(?:d'autres|d’autres|autres) (?:candidat\w*|profils?)",
        r"(?:après|suite à) (?:une )?(?:étude|analyse|examen|lecture) (?:attentive|approfondie"
        r"|minutieuse)",
        r"(?:correspondent|correspondant|correspond|correspondaient) (?:davantage|mieux|plus)",
    ],
    courtesy=[
        r"(?:conserver|garder|conserverons|garderons|conservons|gardons|intégrer|intégrons)"
        r" ~ (?:cv|candidature|profil|dossier|coordonnées) ~ (?:vivier|base|fichier|dossiers)",
        r"(?:vivier|base de données|base de candidats|CVthèque)",
        r"(?:souhaitons|souhaite|souhaitant) (?:\w+ )?(?:\w+ )?(?:\w+ )?(?:succès|réussite"
        r"|bonne chance|bonne continuation|plein succès|le meilleur)",
        r"bonne (?:continuation|chance) (?:dans|pour)",
        r"(?:futures|prochaines|autres) (?:opportunités|offres|ouvertures|postes)",
        r"(?:remercions|remercie|merci) ~ (?:intérêt|temps|confiance)",
        r"(?:nombre|nombreuses|volume) (?:important |élevé )?(?:de )?candidatures",
    ],
    regret=[r"malheureusement", r"hélas", r"regret\w*", r"navrés?", r"désolée?s?"],
    negation=[r"ne", r"n'", r"n’", r"pas", r"plus", r"aucune?", r"jamais"],
    conditional=[
        r"si",
        r"s'il|s’il|s'ils|s’ils",
        r"au cas où",
        r"dans le cas où",
        r"dans l'hypothèse|dans l’hypothèse",
        r"à défaut",
        r"sans (?:réponse|retour|nouvelles)",
        r"faute de (?:réponse|retour)",
        r"sauf",
        r"autrement",
    ],
    job_context=[
        r"candidat\w*",
        r"postes?",
        r"offres? d'emploi",
        r"emplois?",
        r"entretiens?",
        r"recrutement\w*",
        r"cv",
        r"profil",
        r"postul\w*",
        r"stages?",
        r"alternance",
        r"embauche",
    ],
    counters={
        "acknowledgement": [
            rf"(?:bien )?(?:reçu|reçue|réception de) (?:votre|ta) (?:{_APPLICATION})",
            r"accusé de réception",
            r"(?:étudier|examiner|étudierons|examinerons|étudions|examinons|analyser|analyserons)"
            r" ~ (?:candidature|dossier|profil|cv)",
            r"(?:reviendrons|revenons|reviendrai) (?:vers|auprès de) (?:vous|toi)",
            r"(?:merci|remercions) (?:\w+ )?(?:pour|de) (?:votre|ta) candidature",
            r"(?:en cours|en cours d'étude|en cours d’étude|en cours d'analyse)",
        ],
        "interview invitation": [
            r"(?:inviter|convier|invitons|convions|convier|convoquer|rencontrer) ~ (?:entretien"
            r"|échange|rencontre|rendez-vous|appel|visio)",
            r"(?:planifier|fixer|organiser|programmer|caler|convenir d'un|convenir d’un)"
            r" ~ (?:entretien|échange|rendez-vous|appel|créneau)",
            r"(?:vos|tes) disponibilités",
            r"(?:plaisir|ravis?|heureux|heureuse) de (?:vous|te) (?:rencontrer|convier|inviter)",
        ],
        "assessment": [
            r"(?:réaliser|compléter|passer|effectuer|remplir) ~ (?:test|exercice|cas pratique"
            r"|évaluation|questionnaire|étude de cas)",
            r"(?:test technique|cas pratique|test en ligne)",
        ],
        "offer": [
            r"(?:plaisir|heureux|heureuse|ravis?) de (?:vous|te) (?:proposer|faire une offre"
            r"|annoncer|confirmer)",
            r"(?:promesse d'embauche|promesse d’embauche|proposition d'embauche"
            r"|proposition de contrat|offre d'emploi formelle)",
            r"(?:candidature|profil) (?:a été|est) retenue?",
            r"félicitations",
            r"bienvenue (?:dans l'équipe|parmi nous)",
        ],
        "rescheduling": [
            r"(?:décaler|reporter|déplacer|annuler|modifier|reprogrammer) ~ (?:entretien"
            r"|rendez-vous|appel|réunion|échange)",
            r"(?:nouveau|autre) créneau",
            r"(?:nouvelle|autre) (?:date|heure)",
        ],
        "job alert": [
            r"(?:nouvelles|nouvelles offres|offres) ~ (?:qui pourraient|correspondant à votre"
            r"|pour vous|recommandées|susceptibles)",
            r"alertes? (?:emploi|e-mail|mail)",
            r"(?:offres|emplois) (?:recommandé|similaires|suggérés)",
        ],
        "recruiter outreach": [
            r"(?:votre|ton) profil (?:a retenu|m'a|m’a|a attiré)",
            r"(?:j'ai|j’ai) (?:vu|découvert|consulté|remarqué) (?:votre|ton) profil",
            r"(?:ouvert|ouverte|intéressée?) (?:à|par) (?:une|de nouvelles) (?:opportunité|offre)",
        ],
        "withdrawal": [
            r"(?:retiré|retirer|retrait de) (?:votre|ta) candidature",
        ],
        "account notice": [
            r"(?:confirmer|vérifier|activer) (?:votre|ton) (?:adresse|compte|e-mail)",
            r"(?:code de vérification|mot de passe)",
        ],
    },
    feedback=[
        r"(?:retours?|feedback|commentaires?) (?:sur|concernant|quant à|relatifs?|détaillés?|:)",
        r"(?:vos|tes) points forts",
        r"(?:axes?|points?|pistes?) (?:d'amélioration|d’amélioration|de progression|à améliorer)",
        r"(?:manqué|manquait|aurait fallu|manque de|insuffisante?s?|pas assez)",
        r"(?:nous avons|le jury a|l'équipe a|l’équipe a|j'ai|j’ai) (?:particulièrement |beaucoup )?"
        r"(?:apprécié|noté|remarqué|relevé)",
        r"(?:je vous conseille|vous recommande|nous vous conseillons|je te conseille"
        r"|te recommande|vous conseillerais|vous suggère)",
        r"(?:approfondir|renforcer|travailler) (?:vos|tes|votre|ta|les)",
    ],
    auto_reply=[
        r"(?:réponse|message) automatique",
        r"absent(?:e)? du bureau",
        r"(?:en )?congés?",
        r"absence",
    ],
    sign_offs=[
        r"cordialement",
        r"bien (?:cordialement|à vous|à toi)",
        r"(?:très )?(?:sincères|sincèrement|meilleures?) (?:salutations|sentiments)",
        r"salutations(?: distinguées)?",
        r"(?:belle|bonne) (?:journée|continuation|soirée)",
        r"à bientôt",
        r"merci",
    ],
    title_patterns=[
        rf"(?:au |le |du |pour le |sur le )?poste (?:de |d'|d’|:)? ?(?:(?-i:[a-zà-ÿ])\w+ )?{TITLE}",
        rf"(?:candidature|offre|stage|alternance|mission) (?:de |d'|d’|en tant que |pour )?"
        rf"(?:le poste |l'offre |l’offre )?(?:de |d'|d’)?{TITLE}",
        rf"en tant que {TITLE}",
    ],
    company_patterns=[
        rf"(?:intérêt pour|chez|rejoindre|au sein de|au sein d'|au sein d’|l'équipe de"
        rf"|l’équipe de|candidature à|de la société|du groupe|l'entreprise|l’entreprise"
        # a cabinet's news from its client: "un retour de X", "la réponse du client X"
        rf"|(?:retour|réponse|décision|nouvelles)(?: de la part)? (?:de notre client |du client"
        rf" |de l'entreprise |de l’entreprise |de la société )?(?:de |d'|d’|du )?"
        rf"|présenté votre candidature à|présenté votre profil à|la société|pour le compte de"
        rf"|pour le compte d'|pour le compte d’)"
        rf" ?{COMPANY}",
        rf"(?:L'équipe|L’équipe|l'équipe|l’équipe) (?:\w+ )?(?:RH|Recrutement|recrutement|Talent"
        rf"|Talents) (?:de |d'|d’|chez )?{COMPANY}",
    ],
)

"""Spanish phrases (usted and tú forms, Spain and Latin America)."""

from .lexicon import COMPANY, TITLE, Lexicon

_APPLICATION = r"(?:candidatura|perfil|postulación|postulacion|solicitud|cv|currículum|curriculum)"
_ROLE = r"(?:puesto|posición|posicion|vacante|proceso|oferta|búsqueda|busqueda|plaza)"
_OTHERS = (
    r"(?:otr[oa]s?|un[oa]? otr[oa]|diferentes) (?:\w+ )?(?:candidat[oa]s?|perfiles|perfil"
    r"|personas?|postulantes?)"
)

LEXICON = Lexicon(
    code="es",
    decision=[
        r"no (?:\w+ )?(?:vamos a |podemos |podremos |hemos podido |es posible )?(?:seguir|continuar"
        r"|avanzar|proseguir|contar) ~ (?:con )?(?:tu|su) (?:candidatura|proceso|postulación"
        r"|postulacion|solicitud|perfil)",
        rf"(?:tu|su) {_APPLICATION} no (?:ha sido|fue|ha resultado|resultó|ha quedado|quedó"
        r"|será|va a ser|continuará|avanzará|sigue) ~ (?:seleccionad|elegid|exitos|finalista"
        r"|considerad|adelante)",
        r"no (?:has|ha|hayas|haya) (?:sido|resultado) (?:seleccionad|elegid|exitos|escogid)\w*",
        r"(?:decidido|optado|decantado|elegido|seleccionado|avanzar|continuar|seguir|inclinado)"
        rf" ~ (?:por |con )?{_OTHERS}",
        rf"{_OTHERS} (?:que|cuyo|cuyos|cuya|cuyas|con) ~ (?:ajustan|encajan|adecuan|más"
        r"|mejor|alinean|corresponden)",
        rf"(?:{_ROLE}) ~~ (?:ya )?(?:ha sido|fue|se ha|está|ha quedado|quedó|se encuentra)"
        r" (?:\w+ )?(?:cubiert|ocupad|cerrad|cancelad|suspendid|congelad|paralizad|pausad)\w*",
        r"(?:congelación|congelado|congelada|pausa|suspensión|suspension) (?:de |en |del )?(?:las |la"
        r" |el )?(?:contrataciones|contratación|proceso|incorporaciones)",
        r"no (?:podemos|podremos|vamos a|es posible) (?:ofrecerte|ofrecerle|ofrecer|continuar"
        r"|seguir|avanzar|considerar)",
        r"no (?:continuarás|continuará|avanzarás|avanzará|pasarás|pasará|seguirás|seguirá)"
        r" ~ (?:siguiente|proceso|etapa|fase|adelante)",
        r"(?:ha|has) (?:sido|quedado) descartad[oa]",
        r"(?:perfil|experiencia|candidatura) no (?:se )?(?:ajusta|encaja|corresponde|adecúa"
        r"|adecua|cumple|coincide)",
        r"(?:hemos|han|ha) (?:decidido|tomado la decisión de) no",
        r"(?:optado|decantado|elegido|seleccionado|inclinado|quedado) (?:finalmente )?(?:por|con)"
        r" (?:un|una|otro|otra) (?:candidat[oa]|persona|perfil|profesional)",
        r"no (?:continuar|seguir|avanzar|contar) (?:adelante )?(?:contigo|con usted|con tu|con su)",
        r"(?:estado: )?descartad[oa](?:/a)?",
        r"(?:paralizar|paralizado|cancelar|cancelado|suspender|suspendido|cerrar|cerrado|congelar"
        r"|congelado) (?:la|el) (?:incorporación|proceso|contratación|vacante|búsqueda"
        r"|selección)",
        r"(?:queda|quedó|ha quedado) (?:cerrad[oa]|cancelad[oa]|desiert[oa]|suspendid[oa])",
        r"no (?:has|ha) (?:pasado|superado) (?:a la|la) (?:siguiente|próxima|fase|etapa)",
        r"no (?:seguir|continuar|avanzar) (?:adelante )?con (?:tu|su)",
        r"(?:decidido|decisión de) (?:cerrar|cancelar|pausar|suspender) ~ (?:puesto|posición"
        r"|vacante|proceso|búsqueda)",
    ],
    soft=[
        r"(?:lamentamos|sentimos|lamento|siento|lamentablemente tenemos que) (?:mucho )?"
        r"(?:informarte|informarle|comunicarte|comunicarle|tener que|decirte|decirle)",
        r"(?:decisión|elección) (?:difícil|complicada|nada fácil)",
        r"(?:otr[oa]s) (?:candidat[oa]s|perfiles)",
        r"(?:tras|después de|luego de) (?:una |un )?(?:cuidadosa|detallada|minuciosa|exhaustiva"
        r"|atenta)? ?(?:revisión|evaluación|análisis|valoración|consideración)",
        r"(?:se ajustan|encajan|adecuan|alinean) (?:más|mejor)",
    ],
    courtesy=[
        r"(?:guardaremos|mantendremos|conservaremos|tendremos en cuenta|incorporaremos"
        r"|guardar|mantener|conservar) ~ (?:cv|currículum|curriculum|perfil|candidatura|datos)",
        r"(?:base de datos|banco de talento|bolsa de (?:empleo|trabajo|talento)|cartera de"
        r" candidatos)",
        r"(?:deseamos|te deseamos|le deseamos|deseándote|deseándole|desearte|desearle|deseo)"
        r" ~ (?:éxito|éxitos|suerte|lo mejor)",
        r"futuras (?:oportunidades|vacantes|ofertas|posiciones|procesos)",
        r"(?:agradecemos|agradecerte|agradecerle|gracias por) ~ (?:interés|tiempo|confianza)",
        r"(?:gran|elevado|alto) (?:número|volumen|cantidad) de (?:candidaturas|candidatos"
        r"|solicitudes|postulaciones)",
    ],
    regret=[
        r"lamentablemente",
        r"desafortunadamente",
        r"por desgracia",
        r"lamentamos",
        r"sentimos",
        r"desgraciadamente",
        r"infelizmente",
    ],
    negation=[r"no", r"ningún", r"ninguna", r"nunca", r"tampoco", r"ya no"],
    conditional=[
        r"si",
        r"en caso de",
        r"en el caso de que",
        r"de no",
        r"salvo que",
        r"a menos que",
        r"siempre que",
        r"de lo contrario",
    ],
    job_context=[
        r"candidat\w*",
        r"puestos?",
        r"vacantes?",
        r"posici[oó]n\w*",
        r"proceso de selecci[oó]n",
        r"entrevistas?",
        r"cv",
        r"curr[ií]cul\w*",
        r"empleos?",
        r"postula\w*",
        r"solicitud",
        r"selecci[oó]n",
        r"pr[aá]cticas",
    ],
    counters={
        "acknowledgement": [
            rf"(?:hemos )?recibido (?:correctamente )?(?:tu|su) {_APPLICATION}",
            r"(?:revisaremos|analizaremos|estudiaremos|evaluaremos|valoraremos|revisará"
            r"|estamos revisando)",
            r"nos pondremos en contacto",
            r"(?:gracias|agradecemos) (?:\w+ )?(?:por )?(?:tu|su) (?:candidatura|postulación"
            r"|postulacion|solicitud|interés en (?:la|el) (?:vacante|puesto|posición))",
            r"(?:en (?:proceso de )?revisión|siendo revisad[oa])",
        ],
        "interview invitation": [
            r"(?:invitar|invitarte|invitarle|convocar|convocarte|convocarle|citarte|citarle)"
            r" ~ (?:entrevista|reunión|llamada|videollamada|charla)",
            r"(?:agendar|programar|coordinar|concertar|organizar|fijar) ~ (?:entrevista|llamada"
            r"|reunión|videollamada|cita)",
            r"(?:tu|su) disponibilidad",
            r"(?:nos gustaría|nos encantaría) (?:conocerte|conocerle|hablar|charlar|invitarte)",
        ],
        "assessment": [
            r"(?:realizar|completar|hacer|resolver|rellenar) ~ (?:prueba|test|ejercicio|caso"
            r" práctico|evaluación|cuestionario)",
            r"(?:prueba técnica|caso práctico|prueba online|evaluación en línea)",
        ],
        "offer": [
            r"(?:encantados|complace|placer|alegra|alegría|gusto) (?:de |en )?(?:ofrecerte"
            r"|ofrecerle|comunicarte que has sido seleccionad|informarte que has sido seleccionad"
            r"|darte la bienvenida)",
            r"oferta (?:de empleo|laboral|formal|de trabajo)",
            r"enhorabuena",
            r"felicidades",
            r"bienvenid[oa] al equipo",
            r"(?:has|ha) sido seleccionad[oa]",
        ],
        "rescheduling": [
            r"(?:reprogramar|aplazar|mover|cambiar|posponer|cancelar|retrasar) ~ (?:entrevista"
            r"|llamada|reunión|cita|videollamada)",
            r"(?:nueva|otra) (?:fecha|hora)",
        ],
        "job alert": [
            r"(?:nuevas )?ofertas (?:de empleo )?(?:que|para ti|recomendadas|similares)",
            r"alertas? de empleo",
            r"empleos (?:recomendados|para ti|que te pueden)",
        ],
        "recruiter outreach": [
            r"(?:he visto|vi|encontré|revisé|me encontré con) (?:tu|su) perfil",
            r"(?:tu|su) perfil (?:me )?(?:ha llamado|llamó) la atención",
            r"(?:abiert[oa]|interesad[oa]) (?:a|en) (?:nuevas|una nueva) (?:oportunidad|propuesta)",
        ],
        "withdrawal": [
            r"(?:retirado|retirar|retiro de) (?:tu|su) (?:candidatura|postulación|solicitud)",
        ],
        "account notice": [
            r"(?:verifica|verificar|confirma|confirmar|activa|activar) (?:tu|su) (?:cuenta|correo"
            r"|email|dirección)",
            r"(?:código de verificación|contraseña)",
        ],
    },
    feedback=[
        r"(?:comentarios|retroalimentación|retroalimentacion|feedback|valoración|devolución)"
        r" (?:sobre|acerca|de|respecto|:)",
        r"(?:puntos fuertes|fortalezas|áreas de mejora|aspectos a mejorar|puntos a mejorar"
        r"|oportunidades de mejora|margen de mejora|lo que más nos gustó|echamos de menos"
        r"|(?:te|le) costó)",
        r"(?:faltó|echamos en falta|nos faltó|le faltó|te faltó|faltaba|hubiera faltado)",
        r"(?:te|le) (?:recomendaría|recomiendo|recomendamos|aconsejo|aconsejaría|aconsejamos"
        r"|sugiero|sugeriría|sugerimos)",
        r"(?:valoramos|destacamos|nos gustó|nos gustaron|apreciamos) (?:mucho )?(?:tu|su|tus|sus)",
        r"(?:reforzar|profundizar|trabajar|mejorar) (?:en )?(?:tu|su|tus|sus|los|las|el|la)",
    ],
    auto_reply=[
        r"(?:respuesta|mensaje) automátic[oa]",
        r"fuera de la oficina",
        r"(?:de )?vacaciones",
        r"ausente",
    ],
    sign_offs=[
        r"(?:un )?(?:cordial|afectuoso|atento|fuerte)? ?saludo",
        r"saludos(?: cordiales)?",
        r"atentamente",
        r"cordialmente",
        r"(?:muchas )?gracias",
        r"un abrazo",
    ],
    title_patterns=[
        rf"(?:el |al |del |para el )?puesto (?:de |como |:)? ?{TITLE}",
        rf"(?:la |a la |el |al )?(?:posición|posicion|vacante|plaza|oferta|cargo)"
        rf" (?:de |como |:)? ?{TITLE}",
        rf"(?:candidatura|postulación|postulacion|solicitud) (?:para|a|al puesto de|como)"
        rf" (?:el |la )?{TITLE}",
        rf"como {TITLE} (?:en|de)",
        # "¡Gracias por postularte a Data Analyst, Marketplace en Cardumen!"
        rf"postula(?:rte|rse|ste|ción|cion) (?:a|al puesto de|para) (?:el |la )?{TITLE} en",
    ],
    company_patterns=[
        rf"(?:interés en|interés por|unirte a|unirse a|formar parte de|trabajar en|trabajar con"
        rf"|equipo de|en la empresa|candidatura en|proceso en|Equipo de"
        # una consultora con noticias de su cliente: "respuesta de X", "por parte de X"
        rf"|(?:respuesta|noticias|decisión|devolución|feedback)(?: por parte)? (?:de|del)"
        rf"(?: cliente| nuestro cliente| la empresa)?|por parte de|presentado tu candidatura a"
        rf"|presentado su candidatura a) {COMPANY}",
        rf"(?:proceso|puesto|vacante|posición|cargo) de [^\n.,;]{{3,60}}? para {COMPANY}",
        rf"(?:El|el) equipo (?:de )?(?:Talento|Selección|Seleccion|RRHH|Recursos Humanos"
        rf"|Reclutamiento) (?:de )?{COMPANY}",
    ],
)

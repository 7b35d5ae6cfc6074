"""English phrases."""

from .lexicon import COMPANY, TITLE, Lexicon

_CANDIDATES = r"(?:candidates?|applicants?|individuals?|profiles?|people|persons?|others)"
_APPLICATION = r"(?:application|candidacy|candidature|profile|resume|cv|submission)"
_ROLE = r"(?:position|role|job|vacancy|opening|opportunity|requisition|posting|search)"

LEXICON = Lexicon(
    code="en",
    decision=[
        # "we will not be moving forward with your application"
        r"(?:not|no longer|won't|will not|cannot|can't|unable to) (?:be )?(?:moving|move|going|go"
        r"|proceeding|proceed|progressing|progress|advancing|advance)"
        r" (?:forward |ahead |further )?(?:with|on) (?:your|you|the|this)",
        r"(?:not|no longer) (?:be )?(?:moving|move|taking) (?:you|your (?:application|candidacy))"
        r" (?:forward|further|to the next)",
        r"decided ~ not to (?:move|go|proceed|pursue|progress|continue|advance|invite|offer"
        r"|extend|hire|schedule|take)",
        r"(?:decided|chosen|chose|elected|opted|decision|determined) to (?:move|go) (?:forward|ahead)"
        r" (?:with|in) (?:other|another|a different|different|an alternative|the other)",
        r"(?:decided|chosen|chose|elected|opted|decision|determined|plan) to (?:pursue|proceed with"
        r"|progress|continue with|focus on|consider|prioriti[sz]e|interview) ~ (?:other|another"
        rf"|different|alternative|more) ~ {_CANDIDATES}",
        rf"(?:pursue|pursuing|proceed|proceeding|progress|progressing|move forward|moving forward"
        rf"|going forward|go forward|continue|continuing|focus|focusing) (?:ahead )?with ~ (?:other"
        rf"|another|different|alternative|more qualified|stronger) ~ {_CANDIDATES}",
        rf"(?:selected|chosen|identified|hired|offered the (?:position|role) to) (?:an?other"
        rf"|a different|other|a more|the|an internal|one) ~ {_CANDIDATES}",
        rf"{_CANDIDATES} (?:whose|who|that) ~ (?:more closely|better|more directly|more fully"
        r"|more strongly|more precisely) (?:match|matches|meet|meets|align|aligns|fit|fits|suit)",
        r"(?:more closely|better) (?:matched|match|matches|aligned|aligns|align|suited|fit|fits)"
        r" (?:with |to )?(?:our|the|this) (?:current )?(?:needs|requirements|criteria|role"
        r"|position|job)",
        rf"(?:your|the|this) {_APPLICATION} (?:has|have|was|were|is)? ?(?:not been|was not|wasn't"
        r"|were not|weren't|has not been|will not be|is not being) (?:\w+ )?(?:selected"
        r"|successful|shortlisted|chosen|progressed|advanced|considered|moved forward|taken forward)",
        r"(?:you|you have|you've) (?:have )?(?:not been|were not|weren't|was not|are not|aren't)"
        r" (?:\w+ )?(?:selected|successful|shortlisted|chosen|invited)",
        rf"(?:your|the) {_APPLICATION} (?:has been|was|is|were) (?:unsuccessful|declined|rejected"
        r"|not successful|not selected)",
        r"(?:have|has|were|was) (?:been )?unsuccessful",
        r"unsuccessful (?:on this occasion|this time|at this (?:time|stage|point))",
        r"not (?:been )?(?:selected|shortlisted|chosen) (?:for|to) (?:an? |the )?(?:interview|next"
        r"|further|this|role|position)",
        r"(?:no longer|not) (?:be )?(?:being )?(?:considered|under consideration|in consideration"
        r"|considering you|considering your)",
        r"(?:(?:unable|not able|won't be able|will not be able) to|cannot|can't|can not) (?:offer you"
        r"|extend (?:you )?an offer"
        r"|progress your|move forward with your|proceed with your|take your (?:application|candidacy)"
        r"|consider your|consider you|invite you|move your (?:application|candidacy)|pursue your"
        r"|further consider)"
        # not a condition still to be met: "... until we receive your references"
        r"(?![^.\n]*\b(?:until|till)\b)(?![^.\n]{0,30}\bunless\b)",
        r"not (?:to )?(?:be )?(?:extend|extending|make|making|offer|offering) (?:you )?an? offer",
        # "we will not be inviting you to interview", "won't be taking you forward"
        r"(?:will not|won't|shall not|are not|aren't) (?:be )?(?:inviting|invite) you (?:to|for)"
        r" (?:an? |the )?(?:interview|next (?:stage|round|step)|further|second|final|shortlist)"
        r"(?![^.\n]*\b(?:until|unless|till|yet|before|once)\b)",
        r"(?:will not|won't|are not|aren't) (?:be )?(?:progressing|taking|moving) (?:you|your"
        r" (?:application|candidacy)) (?:forward|further|any further)"
        r"(?![^.\n]*\b(?:until|unless|till|yet|before|once)\b)",
        rf"(?:{_ROLE}|it) (?:has|have|had) (?:now |since |already |recently )?been"
        r" (?:filled|closed|cancel+ed|put on hold|placed on hold|withdrawn|eliminated|paused"
        r"|frozen|removed)",
        rf"(?:{_ROLE}) (?:is|was|were) (?:now |currently |recently |already |just )?(?:filled"
        r"|closed|cancel+ed|on hold|frozen"
        r"|no longer (?:available|open|active|being (?:recruited|hired|filled)))",
        rf"(?:decided|decision|need|needed|forced|had) to (?:close|cancel|pause|put on hold|freeze"
        rf"|not fill|withdraw|eliminate|hold off on) (?:the|this|our|that) ~ {_ROLE}",
        r"(?:hiring|recruitment|recruiting|headcount) (?:freeze|pause|has been paused|is on hold"
        r"|has been put on hold|has been frozen|has been cancel+ed)",
        r"(?:just |recently |already )?(?:hired|filled the (?:role|position) with) (?:someone"
        r"|another|a candidate|an internal)",
        r"(?:decided|decision) (?:not to|against) (?:hire|hiring|extend|extending|proceed"
        r"|proceeding|move|moving|progress|progressing)",
        r"(?:not|isn't|is not|wasn't|was not) (?:quite )?(?:the right|a (?:good|strong|great"
        r"|close)?) ?(?:fit|match) (?:for|at|with) (?:this|the|our) (?:role|position|team|time"
        r"|opportunity|moment)",
        r"(?:will not|won't|wouldn't|shall not) be (?:inviting|progressing|offering|proceeding"
        r"|scheduling|moving|advancing"
        r"|pursuing|continuing|taking)",
        r"(?:not|won't) be (?:inviting|able to invite) you",
        r"(?:decline|declining|declined|reject|rejecting) (?:your|you|the) (?:application|candidacy"
        r"|profile)",
        r"(?:move|go|going|moving) in (?:a|another) (?:different )?direction",
        r"decided ~ (?:another|a different) (?:candidate|applicant|direction)",
        r"closed (?:the|this|our) (?:position|role|search|requisition|opening|vacancy)",
        r"(?:did not|didn't|do not|don't|does not|doesn't) (?:make it|progress|advance|move forward"
        r"|get through|pass) ~ (?:to|through|past|beyond) (?:the|our) (?:next|further|final|interview"
        r"|following)",
        r"position (?:is|was) (?:no longer|not) (?:available|open)",
        r"no longer (?:recruiting|hiring|accepting|reviewing|considering|looking|interviewing)"
        r" (?:for|applicants|applications|candidates|new)",
        r"(?:we|you) (?:are not|aren't|were not|weren't|are no longer) (?:a|the) (?:good |strong"
        r" |great |right |close )?(?:match|fit)",
        r"(?:decided|decision) ~ (?:to not|not to) (?:move|go|proceed|pursue|progress|continue"
        r"|advance)",
        rf"(?:have|has|had) (?:now |already |recently |just )?filled (?:the|this|that|our) {_ROLE}",
        r"(?:you|you have|you've|you haven't|you have not) (?:haven't|have not|hasn't|has not)?"
        r" ?been (?:selected|chosen|shortlisted|successful)",
        r"you haven't been (?:selected|chosen|shortlisted)",
        r"(?:did not|didn't|will not|won't|do not|don't) (?:select|choose|shortlist|progress"
        r"|advance|pursue) (?:you|your|it|the application)",
        r"(?:extended|extend|made|make|offered) (?:an|the) offer (?:out )?to (?:a|another|an|the"
        r"|one) (?:other |different |internal )?(?:candidate|applicant|individual|person)",
        r"(?:do not|don't) have (?:a|an) (?:position|role|opening) (?:that is )?(?:a )?(?:strong"
        r" |good |close )?(?:match|fit)",
        r"(?:won't|will not|not) be (?:moving|going) forward",
        rf"(?:move|moving|go|going|proceed|proceeding|continue|continuing) (?:forward )?with"
        rf" {_CANDIDATES} (?:whose|who|that)",
        rf"(?:putting|put|placing|placed|place) (?:this|the|that|our) {_ROLE} on hold",
        r"(?:don't|do not|didn't|did not) (?:see|feel|think|believe) ~~ (?:fit|match)",
        r"(?:offer|extend|extended|give|gave|hand) ~~ to (?:someone else|another (?:candidate"
        r"|applicant|person)|a different (?:candidate|applicant|person)|an? (?:internal|external)"
        r" (?:candidate|applicant|hire))",
        r"(?:gone|go|going|went|proceed|proceeded) with (?:someone else|another (?:candidate"
        r"|applicant|person)|a different (?:candidate|applicant|person)|an? (?:internal|external)"
        r" (?:candidate|applicant|hire))",
        r"(?:not|won't|aren't|are not|isn't|is not) (?:going to )?(?:take|taking|move|moving"
        r"|progress|progressing|carry|carrying) (?:things|this|it|your application|your candidacy"
        r"|you|matters) (?:any )?(?:further|forward)",
        rf"{_CANDIDATES} (?:whose|who|that) ~~ (?:align|aligns|aligned|match|matches|matched|fit"
        r"|fits|lined up|line up|lines up|suit|suits|suited) (?:\w+ )?(?:\w+ )?(?:more closely"
        r"|better|more directly|more strongly)",
        r"(?:freeze|hold|pause) on (?:all )?(?:new )?(?:hiring|headcount|recruitment|recruiting"
        r"|hires)",
        r"(?:closing|close|closed|cancelling|canceling|ending|end|ended|stopping) the (?:hiring"
        r" |recruitment |recruiting |interview )?(?:process|search|requisition|opening)"
        r" (?:for now|for this role|for the role|on this role|including)",
        r"(?:someone|somebody|a candidate|an applicant) (?:else )?(?:whose|who|with) ~~"
        r" (?:more closely|better|more directly)",
        r"not (?:be )?(?:able to )?(?:proceed|continue) (?:further|with your application)",
        r"(?:not|won't) (?:be )?(?:offering|offer) you (?:the|a|this)",
    ],
    soft=[
        r"regret to (?:inform|tell|advise|let you know|share|say|notify)",
        r"(?:sorry|sad|disappointed) to (?:inform|tell|let you know|share|say|deliver)",
        r"(?:difficult|tough|hard) (?:decision|choice)",
        r"(?:disappointing|bad|difficult|unwelcome|not good|not the) news",
        r"(?:someone|somebody) else",
        r"close call",
        rf"(?:other|another|stronger) {_CANDIDATES}",
        r"(?:not|isn't|is not|wasn't|was not) (?:quite )?(?:the right|a) (?:fit|match)",
        r"(?:does|do|did) not (?:fully )?(?:match|meet|align with|fit) (?:our|the|all)",
        r"(?:opportunity|role|position) (?:has|is) (?:closed|no longer)",
        r"we have (?:decided|concluded|determined)",
        r"(?:after|upon|following) (?:careful|thorough|much|further|extensive)"
        r" (?:consideration|review|deliberation|evaluation)",
    ],
    courtesy=[
        rf"(?:keep|retain|hold|store|save) (?:your|the) ~ (?:{_APPLICATION}|details|information"
        r"|data) ~ (?:on file|in our (?:database|system|records|talent (?:pool|community|network))"
        r"|for future)",
        r"(?:encourage|invite|welcome|urge) you to (?:apply|re-?apply|keep an eye|check|continue"
        r"|visit|look|consider|stay)",
        r"(?:wish|wishing) you (?:the |all the |every |much |continued |good )?(?:best|success"
        r"|luck|well)",
        r"(?:future|other) (?:endeavou?rs?|opportunities|openings|roles|positions|vacancies"
        r"|career)",
        r"(?:best of luck|good luck) (?:in|with|on) your",
        r"(?:job|career) (?:search|journey|hunt)",
        r"(?:thank you|thanks) (?:again )?for (?:your|the) (?:time|interest|effort|patience"
        r"|understanding)",
        r"(?:large|high|significant|overwhelming) (?:number|volume) of (?:highly )?(?:qualified"
        r"|talented|strong|excellent)",
        r"(?:highly|very|extremely) competitive",
    ],
    regret=[
        r"unfortunately",
        r"regrettably",
        r"sadly",
        r"regret",
        r"sorry",
        r"at this time",
    ],
    negation=[
        r"not",
        r"\w+n't",
        r"no longer",
        r"unable",
        r"cannot",
        r"no",
        r"never",
        r"nor",
    ],
    conditional=[
        r"if",
        r"should (?:you|we|your|the|there)",
        r"in case",
        r"in the event",
        r"unless",
        r"whether",
        r"otherwise",
        r"in the unlikely event",
    ],
    job_context=[
        r"appl(?:y|ied|ying|ication|icant|icants|ications)",
        r"candida(?:te|tes|cy|ture)",
        r"positions?",
        r"roles?",
        r"vacanc(?:y|ies)",
        r"openings?",
        r"interview(?:s|ed|ing)?",
        r"resumes?|cvs?|résumé",
        r"jobs?",
        r"hiring|recruit\w*|talent acquisition",
        r"internships?",
    ],
    counters={
        "acknowledgement": [
            rf"(?:received|receive|receipt of) (?:your|the) (?:job |recent )?(?:{_APPLICATION}"
            r"|documents|materials|information)",
            rf"(?:will|shall|we'll|to) (?:be )?(?:carefully |now |soon |shortly |personally )?"
            rf"(?:review|reviewing|reviewed|consider|considering|evaluate|evaluating|assess)"
            rf" (?:your|all|each|the|every) ~ (?:{_APPLICATION}|applications|qualifications"
            r"|background|experience|skills|materials)",
            r"(?:is|are) (?:currently |now )?(?:being )?(?:reviewed|reviewing|under review"
            r"|being considered|in review)",
            r"(?:will|we'll|shall) (?:be in touch|get back to you|contact you|reach out|follow up"
            r"|let you know|be reaching out|be contacting)",
            r"(?:what happens next|what to expect|here's what|next steps? (?:in|of) (?:the|our)"
            r" (?:process|hiring))",
            r"(?:thank you|thanks) for (?:applying|submitting|your application|your recent application)",
            r"application (?:has been |was )?(?:received|submitted|sent|complete)",
        ],
        "interview invitation": [
            r"(?:invite|inviting|invitation|like to have|like to set up|love to have)"
            r" (?:you )?(?:to|for) (?:an? |the |your |our )?(?:\w+ )?(?:\w+ )?(?:interview"
            r"|call|chat|conversation|meeting|onsite|on-site|video|discussion|round)",
            r"(?:schedule|book|arrange|set up|coordinate|find a time for) (?:an? |the |your |our"
            r" |some )?(?:\w+ )?(?:\w+ )?(?:interview|call|time|meeting|chat|conversation|slot)",
            r"(?:like|love|happy|pleased|excited|delighted|glad) to (?:invite|schedule|move you"
            r"|speak|talk|chat|meet|have you|continue|move forward with you|advance you|connect)",
            r"(?:move|advance|progress) (?:you|your application) (?:forward )?to the next"
            r" (?:round|stage|step)",
            r"(?:your|some) availability",
            r"(?:calendly|interview slot|time slots?|pick a time)",
        ],
        "assessment": [
            r"(?:complete|take|finish|start|submit) (?:the|an|our|your|this|a)"
            r" (?:\w+ )?(?:\w+ )?(?:assessment|test|challenge|assignment|questionnaire|exercise"
            r"|task|case study)",
            r"(?:coding|technical|online|take-home|skills) (?:challenge|test|exercise|assessment"
            r"|assignment)",
            r"hackerrank|codility|codesignal|testgorilla|hirevue",
        ],
        "offer": [
            r"(?:pleased|delighted|happy|excited|thrilled|glad) to (?:offer|extend)",
            r"offer (?:letter|of employment|package)",
            r"(?:formal|verbal|written|job|employment) offer",
            r"congratulations",
            r"welcome (?:to the team|aboard)",
        ],
        "rescheduling": [
            r"(?:reschedule|re-schedule|postpone|move|push|shift|rearrange|change) (?:our|the|your"
            r"|this|tomorrow's|today's|that) (?:\w+ )?(?:\w+ )?(?:call|interview|meeting|chat"
            r"|conversation|appointment|session)",
            r"(?:cancel|reschedule) (?:our|the|your|today's|tomorrow's)",
            r"new (?:time|date|slot)",
        ],
        "job alert": [
            r"jobs? (?:you may|you might|that may|that might|we think you)",
            r"(?:new|recommended|similar|matching|top) (?:jobs|job matches|positions for you"
            r"|opportunities for you|job recommendations)",
            r"job (?:alert|alerts|digest|recommendations?)",
            r"saved (?:search|job search)",
            r"jobs? (?:near you|matching your|based on your)",
            r"(?:unsubscribe from|manage) (?:these |your )?(?:alerts|job alerts|emails)",
        ],
        "recruiter outreach": [
            r"came across your (?:profile|resume|cv|background)",
            r"(?:i am|i'm|my name is) \w+ (?:\w+ )?(?:and i am |and i'm |, )?(?:an? )"
            r"(?:\w+ )?recruiter",
            r"(?:would you be|are you) (?:open|interested) (?:to|in) (?:a |new |exploring|hearing"
            r"|discussing|learning)",
            r"(?:reaching out|contacting you) (?:because|regarding|about|to)",
        ],
        "withdrawal": [
            r"(?:you have|you've|you) (?:decided|chosen|elected) (?:to withdraw|not to continue"
            r"|not to proceed|not to pursue)",
            r"(?:withdrawn|withdrew) your (?:application|candidacy)",
            r"(?:confirm|confirming|confirmation of) (?:your |the )?withdrawal",
        ],
        "account notice": [
            r"verify your (?:email|account|identity)",
            r"(?:one-time|verification) (?:pass ?)?code",
            r"(?:password reset|reset your password)",
            r"(?:candidate )?account (?:has been )?created",
        ],
    },
    feedback=[
        r"(?:as far as|regarding|in terms of|with respect to|as for|on the) (?:your |the |some )?"
        r"feedback",
        r"(?:some|my|our|the|detailed|specific|honest|brief|main) feedback (?:is|was|would be"
        r"|from|regarding|on|about|below|:)",
        r"(?:panel|team|interviewers?|hiring manager|we|they) (?:all )?(?:felt|noted|thought|found"
        r"|observed|mentioned|liked|appreciated|were impressed|wanted|expected)",
        r"(?:happy|glad|pleased) to (?:share|give|provide|pass on|offer) (?:some |a bit of |my |our )?"
        r"(?:feedback|thoughts|notes|pointers)",
        r"(?:areas?|room|opportunities) (?:for|of|to) (?:improvement|improve|develop|growth)",
        r"(?:you could|you might|i would|we would|i'd|we'd|i) (?:\w+ )?(?:recommend|suggest"
        r"|encourage|advise)",
        r"(?:work|working|focus|focusing) (?:more )?on (?:your|the)",
        r"(?:your|the) (?:main )?(?:strengths?|weakness(?:es)?|gaps?)",
        r"(?:we were|they were|the team was|were) looking for (?:someone|more|a candidate|stronger"
        r"|deeper|greater)",
        r"(?:lacked|lacking|fell short|could have been stronger|was missing|were missing)",
        r"(?:strong|solid|impressive|good|great) (?:communication|technical|problem-solving"
        r"|coding|analytical|presentation|domain)",
    ],
    auto_reply=[
        r"out of (?:the )?office",
        r"automatic reply",
        r"auto-?reply",
        r"autoreply",
        r"away from (?:the office|my desk)",
        r"on (?:annual )?leave",
        r"vacation (?:reply|response|notice)",
    ],
    sign_offs=[
        r"(?:best|kind|warm|warmest|kindest)? ?regards",
        r"best(?: wishes)?",
        r"sincerely(?: yours)?",
        r"yours (?:sincerely|truly|faithfully)",
        r"(?:many )?thanks(?: again)?",
        r"thank you",
        r"cheers",
        r"all the best",
        r"respectfully",
        r"warmly",
    ],
    title_patterns=[
        rf"(?:for|to|in|on) (?:the|our|this|your|an|a) (?:open |current |posted )?{TITLE}"
        r" (?:position|role|opening|vacancy|job|internship|opportunity|post)",
        rf"(?:position|role|post|job|vacancy) (?:of|as|for) (?:an? )?{TITLE}",
        rf"(?:application|applying|applied|candidacy) (?:for|to) (?:the |our |a |an )?"
        rf"(?:position |role )?(?:of )?{TITLE}",
        # "the Associate Director, Regulatory Affairs (Job Number: 2400) opportunity"
        rf"(?:the|our|this) {TITLE}(?: \([^)\n]{{1,40}}\))? (?:position|role|opening|vacancy"
        rf"|internship|job|opportunity|post)\b",
        rf"(?:as|for) (?:an? )?{TITLE} (?:at|with)",
        rf"(?:become|be) (?:our|the) (?:next|new) {TITLE}",
        # "applying to be a Lifecycle Marketing Manager", "joining Tulipa as a Risk Analyst"
        rf"(?:applying|applied|apply|application) to be (?:an? |the |our )?{TITLE}",
        rf"(?:joining|join) (?-i:[A-Z][\w&'’-]*)(?: (?-i:[A-Z&][\w&'’-]*)){{0,3}} (?-i:as) (?:an? )?"
        rf"{TITLE}",
    ],
    company_patterns=[
        r"(?:interest in|applying to|applied to|application to|applying at|applied at"
        r"|application at|application with|career at|careers at|careers with|joining|working at"
        r"|work at|working for|work for|join|position at|role at|opportunity at|team at"
        r"|position with|role with|opportunity with|vacancy at|vacancy with|job at|job with"
        r"|post at|post with|opening at|opening with"
        r"|behalf of|opportunities at|opportunities with|interviewing with|interview with"
        rf"|employment with|candidacy at|candidacy with|consider|here at|applies to|apply to"
        rf"|apply at|apply with|applying with|applied with|thank you from|thanks from"
        rf"|update from|news from|message from|note from"
        # an agency's news from its client: "I've had feedback from X", "put you forward to X"
        rf"|feedback from|heard back from|hear back from|response from|reply from|word from"
        rf"|decision from|put you forward to|submitted you to|presented you to|introduced you to"
        rf"|submitted your (?:cv|profile|application|details) to) {COMPANY}",
        rf"(?:the|your) {COMPANY} (?:team|family|recruiting team|talent team|hiring team)",
    ],
)

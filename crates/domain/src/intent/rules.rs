//! The phrase lists behind each signal, in English, French and Spanish.
//!
//! Patterns are written in the matcher's syntax (see `patterns`) against
//! normalized text: lower case, accents folded, contractions joined
//! (`dont`, `cannot`), abbreviations expanded. Each list aims at the way
//! leads actually text, not at any one data set.

use super::Signal;

/// Cues that a problem is happening now.
#[rustfmt::skip]
const URGENT_PROBLEM: &[&str] = &[
    "swallowed", "ate ~ chocolate|grapes|trash|poison|bone|sock", "throwing up", "vomit*", "poison*", "straining", "seizure*", "lethargic", "hit by a car", "not eating", "not peed", "hasnt peed", "has not peed", "locked ~ keys", "keys ~ locked|inside", "marche pus", "marche plus", "a flat", "no spare", "coming out of ~ wall|socket|ceiling|vent|outlet", "hurry",
    "leak*", "flood*", "burst*", "pipe* ~ burst*", "water ~ everywhere", "water ~ pouring",
    "pouring ~ in|through|into|down", "water ~ coming ~ in|through|from|into", "overflow*",
    "backed up", "backing up", "back* up ~ into", "sewage", "sewer ~ backup|back*", "frozen pipe*",
    "pipes ~ frozen", "dripping ~ ceiling|through", "caved", "collapsed", "hole in ~ roof|ceiling",
    "tarp", "blew off", "ripped off", "tore off", "storm damage", "tree ~ fell|fallen|on",
    "standing water", "water damage", "no water", "clogged", "plugged", "wont drain",
    "will not drain", "not draining", "no heat", "no heating", "no hot water", "no ac", "no air",
    "no cooling", "no power", "no electricity", "without heat", "without ac", "without power",
    "without water", "heat ~ out|off|died|dead",
    "furnace ~ out|died|dead|broke*|quit|stopped|failed|off|not",
    "ac ~ out|died|dead|broke*|quit|stopped|not|blowing", "blow* ~ hot|warm|cold air", "freezing",
    "frozen", "burning smell", "smell* ~ gas|burning|smoke", "gas smell", "gas leak",
    "carbon monoxide", "co detector", "co alarm", "sparking", "sparks", "spark*", "shock*",
    "breaker* ~ trip*|reset|keep*", "power ~ out|outage", "outlet* ~ dead|burn*|melt*", "on fire",
    "caught fire", "fire in", "smoke ~ coming|from|out|in", "power outage", "stopped working",
    "quit working", "not working", "is not working", "died", "dead",
    "dont have ~ heat|water|power|ac|hot", "do not have ~ heat|water|power|ac|hot", "broke down",
    "broken down", "wont start", "will not start", "cannot start", "doesnt start", "does not start",
    "will not turn on", "stranded", "tow", "towing", "tow truck", "flat tire", "overheat*",
    "check engine ~ flashing|blinking", "brakes ~ grinding|gone|failed|out", "locked out",
    "lock* ~ out", "lost ~ keys", "key* ~ broke|stuck", "broke* into", "break in",
    "broken ~ window|door|lock", "pain", "painful", "toothache",
    "tooth ~ broke*|cracked|chipped|knocked|fell", "swollen", "swelling", "bleeding", "blood",
    "hurts", "hurting", "fever", "infection", "infected", "abscess", "cannot breathe",
    "cannot sleep", "cannot eat", "injur*", "accident", "emergency", "emergencies", "urgent",
    "urgently", "help asap", "need help asap", "please help", "help please", "need help now", "sos",
    "arrested", "jail", "in custody", "served ~ papers", "got served",
    "court ~ tomorrow|today|monday|morning", "hearing ~ tomorrow|today", "evict*",
    "deadline ~ today|tomorrow", "dui", "charged with", "cannot drive", "spewing", "gushing",
    "spraying", "pouring", "everywhere", "dripping", "water in", "water on the floor",
    "water ~ floor|basement|ceiling", "ceiling ~ dripping|leaking|wet|sagging|falling", "snapped",
    "trapped", "stuck", "broken", "fell", "popped off", "filling ~ came|fell",
    "crown ~ came|fell|popped", "lost a filling", "nerve",
    "not ~ kicking|turning|starting|working|cooling|heating|draining|flushing|coming on",
    "sent le gaz", "ca sent le", "hoy mismo", "eau partout", "de l eau partout",
    "tuyau ~ eclate|gele|perce|brise", "fumee", "boucane", "sent le brule", "odeur de ~ brule|gaz",
    "fievre", "fiebre", "se fue la luz", "huele a ~ quemado|gas", "infest*", "bed bugs", "bedbugs",
    "rats", "rat", "mice", "roaches", "cockroach*", "wasp*", "hornet*", "bees ~ nest|inside",
    "snake", "bats", "bailed", "fell through", "no show", "no-show", "fuite*", "coule", "coulait",
    "couler", "inond*", "degat* d eau", "degat d eau", "pas de chauffage", "plus de chauffage",
    "pu de chauffage", "pas d eau chaude", "plus d eau chaude", "pu d eau chaude", "pas de courant",
    "pas d electricite", "en panne", "panne", "ne demarre pas", "demarre pas", "urgence", "urgent*",
    "refoul*", "bouche", "mal aux dents", "rage de dent*", "dent ~ casse*", "douleur", "saign*",
    "enferme dehors", "barre dehors", "pogne", "gele", "brise", "chauffage ~ mort|brise",
    "fournaise ~ morte|brisee|arretee", "fournaise ~ marche pas", "ca marche pas", "marche plus",
    "fonctionne plus", "fuga", "gotera*", "gotea*", "goteando", "inund*", "sin calefaccion",
    "no hay calefaccion", "no tengo calefaccion", "sin agua caliente", "no hay agua caliente",
    "sin luz", "no hay luz", "sin aire", "no funciona", "dejo de funcionar", "se descompuso",
    "descompuesto", "se rompio", "roto", "rota", "revento", "se reviento", "tapado", "tapada",
    "se tapo", "urgencia", "emergencia", "urgente", "dolor", "me duele", "duele", "no arranca",
    "no prende", "sangra*", "chinches", "cucarachas", "ratas", "ratones", "encerrado",
    "me quede afuera", "choque", "arrestaron", "detenido", "demanda", "desalojo",
];

/// Cues that the lead wants it soon.
#[rustfmt::skip]
const TIME_URGENCY: &[&str] = &[
    "a soir", "right now",
    "today", "tonight", "asap", "right now", "right away", "immediately", "this morning",
    "this afternoon", "this evening", "this arvo", "as soon as possible", "as soon as you can",
    "soonest", "earliest", "tomorrow", "first thing", "quickly", "fast", "now please", "need ~ now",
    "come now", "hurry", "same day", "within the hour", "next hour", "this weekend",
    "this saturday", "this sunday", "before the weekend", "last minute", "this week",
    "this monday|tuesday|wednesday|thursday|friday",
    "ce ~ lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
    "este ~ lunes|martes|miercoles|jueves|viernes|sabado|domingo", "esta semana", "cette semaine",
    "aujourd hui", "ce soir", "ce matin", "cet apres midi", "cet aprem", "demain",
    "des que possible", "au plus vite", "au plus sacrant", "tout de suite", "maintenant", "vite",
    "rapidement", "ce weekend", "hoy", "esta noche", "esta tarde", "esta manana", "manana",
    "lo antes posible", "lo mas pronto", "cuanto antes", "ahora", "ahorita", "ya mismo", "rapido",
    "pronto", "este fin de semana",
];

/// Cues that the lead wants to book, go ahead, or have someone come.
#[rustfmt::skip]
const READY_TO_BOOK: &[&str] = &[
    "bring ~ in ~ today|tomorrow|this|right|now|tonight|asap", "how fast", "peut passer", "peux passer", "pouvez passer", "on commence", "ok pour ~ devis|soumission|prix", "a soir",
    "book*",
    "schedule ~ appointment|visit|service|install*|move|showing|consult*|cleaning|estimate|inspection|someone|tech|time|me|us|it",
    "schedule me", "schedule it", "get ~ scheduled",
    "set up ~ appointment|time|showing|consult*|visit", "make ~ appointment", "need ~ appointment",
    "want ~ appointment", "like ~ appointment", "get ~ appointment",
    "appointment ~ today|tomorrow|asap|this", "come out", "come ~ out", "come by",
    "pop ~ by|over|in", "swing ~ by|over", "stop ~ by|over", "come over", "come look",
    "come take ~ look", "come ~ today|tomorrow|tonight|asap|now", "come in ~ today|tomorrow",
    "can ~ come", "could ~ come", "send someone",
    "send ~ tech*|someone|crew|guy|plumber|electrician", "get someone", "need someone",
    "need somebody", "need ~ someone ~ out|here|over|today|asap", "someone ~ come",
    "somebody ~ come", "anyone ~ available", "anybody ~ available",
    "available ~ today|tomorrow|tonight|this|asap|now", "availability", "any openings",
    "opening* ~ today|tomorrow|this", "fit ~ in", "squeeze ~ in", "get in ~ today|tomorrow|asap",
    "see ~ today|tomorrow|asap", "be seen", "walk in", "bring it in", "bring ~ in ~ today|tomorrow",
    "drop ~ off", "take a look ~ today|tomorrow|asap", "when can you ~ come|start|be|do|get",
    "when could you", "how soon can", "how fast can", "how quickly", "go ahead", "lets do it",
    "lets go ahead", "lets book", "sign me up", "sign us up",
    "ready to ~ go|book|start|move|sign|buy|sell|list|hire|proceed",
    "accept* ~ quote|estimate|offer|bid|proposal", "approve* ~ quote|estimate", "move forward",
    "moving forward", "proceed", "hire you", "hire your", "want ~ hire", "like ~ hire", "retain",
    "want to ~ book|schedule|start|list|sell|buy|see|view|tour", "want to go ahead",
    "would like to ~ book|schedule|see|view|tour|list|start",
    "id like to ~ book|schedule|see|view|tour|list|start",
    "i would like to ~ book|schedule|see|view|tour|list|start", "showing",
    "tour ~ house|home|property|condo|place|it", "see the ~ house|home|property|condo|place|unit",
    "make ~ offer", "put ~ offer", "put in an offer", "lock in", "reserve", "confirm ~ booking",
    "do it ~ today|tomorrow|this", "get it done ~ today|tomorrow|asap|this", "need it done",
    "want it done", "start ~ today|tomorrow|monday|asap",
    "can you do ~ it|this|that|today|tomorrow", "when can ~ start|come|begin|fit|do|get|be",
    "when could ~ start|come|begin|fit|do|get|be",
    "earliest ~ someone|you|can|available|appointment|time|slot|opening", "what time can",
    "how soon", "pull the trigger", "were in", "we are in", "count us in", "send ~ contract",
    "sign ~ contract", "lets get ~ started|scheduled|booked|going", "get in ~ this", "walk in*",
    "taking walk*", "grab ~ slot|appointment|spot|time|opening", "slot",
    "any chance ~ today|tomorrow|tonight|this", "venez", "pouvez vous venir", "envoyez",
    "aller de l avant", "quand pouvez vous ~ commencer|venir|passer",
    "pret* a ~ aller|commencer|signer", "reserv*",
    "queremos ~ mudanza|cita|agendar|reservar|empezar", "lo necesito ~ hoy|ya|manana|urgente",
    "cuando pueden ~ venir|empezar", "pay the deposit", "put down ~ deposit", "deposit is fine",
    "disponibilidad", "need movers", "need ~ tow", "lock ~ in", "can ~ look at", "take a look",
    "avez vous ~ place|disponibilite*", "de la place", "une place", "amener ~ demain|aujourd|ce",
    "je peux ~ amener|venir|passer", "puedo ~ llevar|ir|pasar", "prendre ~ rendez vous",
    "rendez vous ~ aujourd|demain|svp|s", "un rendez vous",
    "venir ~ aujourd|demain|ce|voir|faire|regarder", "passer ~ aujourd|demain|ce|voir",
    "envoyer quelqu un", "quelqu un ~ venir|passer|disponible", "disponible ~ aujourd|demain|ce",
    "des disponibilites", "on y va", "allez y", "j accepte", "on accepte", "accepte la soumission",
    "accepte le devis", "je veux ~ reserver|prendre|booker|commencer", "booker", "faire une offre",
    "visiter", "agendar", "hacer una cita", "una cita", "cita ~ hoy|manana|para", "apartar",
    "puede* venir", "pueden venir", "venir ~ hoy|manana|a", "mandar a alguien", "manden a alguien",
    "alguien ~ venir|venga|disponible", "necesito alguien", "necesito a alguien",
    "disponible ~ hoy|manana", "adelante", "acepto", "aceptamos",
    "quiero ~ agendar|reservar|empezar|contratar|ver", "contratar*", "llevar ~ hoy|manana",
    "puedo llevar", "ver la casa", "hacer una oferta",
];

/// Cues that the lead needs a service or a professional.
#[rustfmt::skip]
const SERVICE_NEED: &[&str] = &[
   
    "need ~ plumber|electrician|roofer|locksmith|exterminator|cleaner*|lawyer|attorney|dentist|doctor|mover*|mechanic|realtor|contractor|technician|tech|repair*|estimate|inspection|someone|somebody|help",
    "looking for ~ plumber|electrician|roofer|locksmith|exterminator|cleaner*|lawyer|attorney|dentist|mover*|mechanic|realtor|contractor|company|someone|somebody",
    "need ~ fixed|repaired|replaced|installed|cleaned|removed|moved|serviced|inspected|done|checked",
    "need ~ looked at", "get ~ fixed|repaired|replaced|checked", "get ~ looked at",
    "fix ~ my|our|the|it", "repair ~ my|our|the|it", "need a new", "need new",
    "need to ~ move|sell|buy|list|see|get|fix|replace",
    "besoin ~ plombier|electricien|couvreur|serrurier|exterminateur|avocat|dentiste|demenageur*|mecanicien|aide|reparer|reparation",
    "besoin ~ quelqu un",
    "necesito ~ plomero|electricista|techador|techero|cerrajero|abogado|dentista|mudanza|grua|mecanico|ayuda|reparar|arreglar",
    "busco ~ plomero|electricista|techador|cerrajero|abogado|mudanza|mecanico|alguien", "destapar",
    "deboucher", "unclog", "arreglar ~ mi|el|la", "reparar ~ mi|el|la", "reparer ~ mon|ma|le|la",
];

/// Cues that the lead asks to be called.
#[rustfmt::skip]
const CALL_REQUEST: &[&str] = &[
    "call me", "call ~ me", "call us", "call ~ us", "call back", "call ~ back", "callback",
    "call asap", "call now", "call please", "please call", "please ~ call", "pls call",
    "can ~ call", "could ~ call", "can you call", "someone call", "somebody call", "someone ~ call",
    "call this number", "call at", "call ~ at|after|before|around|between", "call when",
    "call ~ today|tomorrow|tonight|asap|now", "give ~ call", "give ~ ring", "give me a shout",
    "ring me", "phone me", "reach me", "reach ~ at|on", "my number is", "my cell", "contact me",
    "talk to ~ someone|somebody|person|human|you", "speak to ~ someone|somebody|person|human|you",
    "speak with", "talk with", "call ~ number", "llama*", "marcame", "marqueme",
    "me ~ llame*|llaman|marque*|marcan", "hablar con ~ alguien|usted|ustedes", "appelez", "appelle",
    "appeler", "m appeler", "rappel*", "me rappeler", "telephone*", "me joindre",
    "parler a quelqu un",
];

/// Price questions.
#[rustfmt::skip]
const PRICE: &[&str] = &[
    "how much", "price*", "pricing", "cost*", "quote*", "estimate*", "rate", "rates", "charge",
    "charges", "fee", "fees", "ballpark", "budget", "hourly", "flat rate", "what do you charge",
    "dollars", "combien", "prix", "tarif*", "devis", "soumission*", "cout*", "cuanto",
    "cuanto cuesta", "cuanto cobran", "precio*", "costo*", "presupuesto*", "cotizacion*", "tarifa*",
];

/// General questions about what the business does.
#[rustfmt::skip]
const INFORMATION_REQUEST: &[&str] = &[
    "do you ~ do|offer|service|fix|install|work|make|sell|take|accept|have|cover",
    "are you ~ open|licensed|insured|bonded", "what are your hours", "your hours", "open on",
    "what areas", "service area", "do you guys", "does your", "whats your", "what kind",
    "what type", "info", "information", "usually", "typically", "normally", "generally",
    "in general", "faites vous", "est ce que vous", "vous faites", "hacen",
    "ustedes ~ hacen|trabajan|tienen", "tienen", "trabajan",
];

/// Explicit refusals of a call.
#[rustfmt::skip]
const DECLINES_CALL: &[&str] = &[
    "dont call", "do not call", "dont ~ call", "do not ~ call", "no calls", "no phone calls",
    "no need to ~ call|phone|come", "no need for ~ call", "text only", "only text", "text me only",
    "just text", "text ~ instead", "prefer ~ text*", "rather ~ text", "by text", "via text",
    "over text", "email me", "email ~ quote|estimate|price|details|info", "send ~ email",
    "cannot talk", "can not talk", "cannot take calls", "cannot answer", "dont phone",
    "ne m appelez pas", "ne pas appeler", "pas besoin d appeler", "pas besoin de m appeler",
    "par texto", "par message", "par courriel", "juste un texto", "textez moi", "no me llame*",
    "no llame*", "no me marque*", "solo texto", "solo mensaje*", "por mensaje", "por texto",
    "por correo", "mejor ~ mensaje",
];

/// Statements that there is no hurry.
#[rustfmt::skip]
const NOT_URGENT: &[&str] = &[
    "not urgent", "no rush", "no hurry", "not in a hurry", "not in a rush", "not an emergency",
    "no emergency", "not a big deal", "whenever", "when you get a chance", "when you have time",
    "at your convenience", "no big deal", "not a priority", "low priority", "not pressing",
    "pas urgent", "pas presse", "rien d urgent", "pas d urgence", "quand vous pouvez",
    "no es urgente", "sin prisa", "no hay prisa", "no hay apuro", "cuando puedan", "cuando pueda",
];

/// Needs that are months away or undecided.
#[rustfmt::skip]
const FUTURE_TIMING: &[&str] = &[
    "call ~ next", "in ~ weeks|months", "when i get back", "after ~ vacation|holidays|trip", "in ~ january|february|march|april|may|june|july|august|september|october|november|december",
    "call ~ next week", "call me ~ next week", "rappelez moi ~ semaine prochaine",
    "semaine prochaine ~ pour", "llam* ~ proxima semana|semana que viene", "next month",
    "next year", "next spring", "next summer", "next fall", "next winter", "next season",
    "in the spring", "in the fall", "in the summer", "in the winter", "this spring", "this summer",
    "this fall", "later this year", "later in the year", "few months", "couple months",
    "couple of months", "in a month", "in months", "eventually", "someday", "some day",
    "down the road", "in the future", "future", "not yet", "not ready", "not right now",
    "planning ahead", "planning for", "budgeting for", "next week is fine", "sometime next",
    "sometime in", "no time soon", "l an prochain", "l annee prochaine", "le mois prochain",
    "au printemps", "cet ete", "cet automne", "plus tard", "dans quelques mois", "eventuellement",
    "el proximo ano", "el ano que viene", "el mes que viene", "el proximo mes", "mas adelante",
    "en unos meses", "para el verano", "en la primavera", "algun dia",
];

/// Hypothetical or idle questions.
#[rustfmt::skip]
const HYPOTHETICAL: &[&str] = &[
    "hypothetically", "if ~ goes|breaks|fails|dies|fell|falls|happens|leaks|floods|stops|ever", "next time", "for next time", "just want to know", "just wanted to know", "probably ~ need|want|going", "is that something",
    "if i ever", "if we ever", "if it ever", "if ever", "ever need", "in case", "just in case",
    "what if", "just curious", "curious", "just wondering", "thinking about", "thinking of",
    "considering", "might need", "may need", "might want", "may want", "if it ~ again",
    "if it happens", "if that happens", "just asking", "just checking", "just looking",
    "just browsing", "shopping around", "comparing", "for future reference", "for reference",
    "keep ~ in mind", "keep your number", "save your number", "si jamais", "au cas ou",
    "je me demandais", "juste pour savoir", "si ca recommence", "por si acaso", "por si",
    "me preguntaba", "estoy pensando", "solo pregunto", "si vuelve", "curiosidad",
];

/// The need is gone: fixed, or someone else was hired.
#[rustfmt::skip]
const ALREADY_HANDLED: &[&str] = &[
    "forget it", "do it myself", "fix it myself", "diy", "dont need ~ anymore|anyone|anybody|you", "do not need ~ anymore|anyone|anybody|you",
    "already ~ hired|found|got|have|booked ~ someone|somebody|another|a", "already hired",
    "already found", "already fixed", "already got", "went with",
    "going with ~ another|someone|different", "found someone", "found somebody", "hired someone",
    "hired another", "got someone", "someone else", "another company", "different company",
    "another contractor", "another plumber", "taken care of", "all set", "fixed it", "its fixed",
    "is fixed", "got it fixed", "got fixed", "figured it out",
    "working ~ great|fine|well|perfect|again", "since you ~ came|fixed|were", "sorted", "resolved",
    "no longer need*", "never mind", "problem solved",
    "false alarm", "stopped on its own", "no longer", "cancel ~ request",
    "deja ~ trouve|engage|regle|quelqu", "plus besoin", "c est regle", "laissez faire",
    "oubliez ca", "une autre compagnie", "ya ~ encontr*|contrat*|arregl*|no", "ya se arreglo",
    "ya lo ~ arregl*|resolv*", "ya no necesito", "otra compania", "otra empresa", "olvidalo",
    "no se preocupe*",
];

/// About an existing booking.
#[rustfmt::skip]
const BOOKING_LOGISTICS: &[&str] = &[
    "confirm*",
    "see you ~ then|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|soon|at|there",
    "running ~ late|behind", "be there in", "on my way", "still on", "still good for", "reschedul*",
    "move my appointment", "change my appointment", "cancel my", "cancel the", "cancel our",
    "my appointment", "our appointment", "the appointment", "already booked", "already scheduled",
    "have an appointment", "booked ~ for", "booked with you", "gate code", "door code", "lockbox",
    "received", "side gate", "back gate", "the tech ~ can|will|is|was", "is ready", "ready yet",
    "ready for pickup", "receipt", "invoice", "paid", "payment",
    "thanks for ~ coming|today|yesterday|squeezing|fitting", "for coming", "the tech ~ is|was|left",
    "a demain", "en route", "en chemin", "mon rendez vous", "notre rendez vous", "annuler",
    "nos vemos", "voy en camino", "en camino", "mi cita", "nuestra cita", "cambiar la cita",
    "cancelar la cita", "llego tarde", "confirmo", "confirmado", "confirmada",
];

/// Vendors, marketers, job seekers and spam.
#[rustfmt::skip]
const VENDOR_OR_JOB_SEEKER: &[&str] = &[
    "hiring", "job opening*", "looking for ~ job|work|employment", "need a job", "any jobs",
    "your website ~ is|isnt|could|needs|ranking", "website design", "apply", "applying",
    "application", "resume", "cv", "employment", "position", "positions", "work for you", "seo",
    "marketing", "web design", "google ~ ranking|reviews|listing|business", "ranking", "leads for",
    "more leads", "more customers", "grow your business", "your business", "our services",
    "we offer", "we provide", "we help", "partnership", "partner with", "sponsor*", "supplier",
    "wholesale", "distributor", "promo*", "limited time", "click", "http*", "www", "reply yes",
    "business loan", "funding", "financing for", "merchant", "warranty ~ expir*", "congratulations",
    "you won", "winner", "prize", "gift card", "crypto", "investment opportunity", "software",
    "demo", "catalog*", "your area", "sales rep", "rep for", "brochure", "free trial",
    "subcontract*", "sub contractor", "we are a ~ company|agency|firm", "emploi", "embauchez",
    "cherche ~ travail|emploi", "postuler", "empleo", "busco trabajo", "buscando trabajo",
    "tienen trabajo", "necesito trabajo", "solicitud",
];

/// Opt-out phrases found anywhere in a message.
#[rustfmt::skip]
const OPT_OUT_PHRASES: &[&str] = &[
    "unsubscribe", "stop texting", "stop messaging", "stop sending", "stop contacting",
    "stop ~ texting|messaging|sending|contacting", "wrong number", "wrong person", "remove me",
    "remove my number", "take me off", "opt out", "optout", "do not contact", "dont contact",
    "lose my number", "no more texts", "no more messages", "mauvais numero", "desabonn*",
    "desinscri*", "ne plus me contacter", "arretez de m ecrire", "numero equivocado",
    "numero incorrecto", "darme de baja", "dejen de ~ escribir|mandar|enviar",
    "no me ~ escriban|manden|contacten|envien mas", "no me manden|envien mensajes",
    "no me contacten",
];

/// Messages that are an opt-out when they are the whole message.
#[rustfmt::skip]
pub(super) const OPT_OUT_KEYWORDS: &[&str] = &[
    "stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "optout", "opt out",
    "revoke", "remove", "arret", "arreter", "arrete", "stop svp", "stop please", "please stop",
    "baja", "alto", "parar", "detener", "cancelar",
];

/// Words that on their own only acknowledge.
#[rustfmt::skip]
pub(super) const ACKNOWLEDGEMENTS: &[&str] = &[
    "ok", "okay", "okk", "kk", "thanks", "thank", "you", "very", "much", "so", "great", "cool",
    "sounds", "good", "perfect", "awesome", "y", "yes", "yep", "yeah", "yup", "sure", "no", "nope",
    "n", "c", "got", "it", "will", "do", "appreciate", "appreciated", "merci", "beaucoup",
    "parfait", "d", "accord", "oui", "non", "gracias", "muchas", "vale", "listo", "si", "bueno",
    "perfecto", "de", "nada", "lol", "haha", "np", "alright", "all", "right", "fine", "noted",
    "received", "and", "the", "a", "for", "info", "again", "bien", "recu",
];

/// Every phrase group, with the signal it raises.
pub(super) const GROUPS: &[(Signal, &[&str])] = &[
    (Signal::UrgentProblem, URGENT_PROBLEM),
    (Signal::TimeUrgency, TIME_URGENCY),
    (Signal::ReadyToBook, READY_TO_BOOK),
    (Signal::CallRequest, CALL_REQUEST),
    (Signal::ServiceNeed, SERVICE_NEED),
    (Signal::PriceShopping, PRICE),
    (Signal::InformationRequest, INFORMATION_REQUEST),
    (Signal::DeclinesCall, DECLINES_CALL),
    (Signal::NotUrgent, NOT_URGENT),
    (Signal::FutureTiming, FUTURE_TIMING),
    (Signal::Hypothetical, HYPOTHETICAL),
    (Signal::AlreadyHandled, ALREADY_HANDLED),
    (Signal::BookingLogistics, BOOKING_LOGISTICS),
    (Signal::VendorOrJobSeeker, VENDOR_OR_JOB_SEEKER),
    (Signal::OptOut, OPT_OUT_PHRASES),
];

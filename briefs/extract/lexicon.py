"""Every word list the extractor uses, in one place, each with where it came from.

All lists were written by hand for this project. "Read in news prose" means
the words were collected while reading news articles and the extractor's
errors on the development outlets (CBC, CTV, Global); no article text is kept.
Lowercase throughout; the code lowercases (or lemmatises) before looking up.
"""
from __future__ import annotations

import re

# -- speech and its verbs ------------------------------------------------------------------------

# Lemmas of verbs that report speech or a stated view (spaCy `lemma_`): the common English
# reporting verbs of style guides ("say", "tell", "add", "note", ...) plus the opinion verbs
# that news uses for reported views ("believe", "fear"), read in news prose.
# Verbs of saying met less often, counted only with a "that" clause of what was said (beside a
# direct quote they stay with the verbs above): "assured voters that ...", "hinted that ...".
CLAUSE_SPEECH_VERBS = {
    "assure", "reassure", "grouse", "gripe", "brag", "hint", "imply", "disclose", "divulge", "inform",
    "notify", "remind", "proclaim", "protest", "retort", "scoff", "quip", "muse", "opine", "theorize",
    "surmise", "attest", "swear", "concur", "clarify", "elaborate", "relay", "convey", "object",
}
SPEECH_VERBS = CLAUSE_SPEECH_VERBS | {
    "say", "quote", "tell", "add", "note", "argue", "explain", "suggest", "stress", "claim", "state",
    "insist", "warn", "announce", "confirm", "acknowledge", "admit", "write", "contend",
    "maintain", "emphasize", "emphasise", "predict", "recall", "reveal", "testify", "deny",
    "allege", "report", "caution", "complain", "concede", "conclude", "declare", "estimate",
    "reply", "respond", "remark", "observe", "assert", "comment", "mention", "tweet", "joke",
    "recount", "speculate", "agree", "point", "rule", "list", "repeat", "reiterate", "underline",
    "underscore", "charge", "counter", "acknowledge", "believe", "think", "feel", "hope", "fear",
    "worry", "expect", "continue", "describe", "call", "urge", "promise", "vow", "pledge",
    "propose", "recommend", "advise", "indicate", "show", "find", "determine", "posit", "lament",
    "boast", "predict", "forecast", "guess", "reason", "wonder", "acknowledge", "signal", "highlight",
    "shout", "yell", "chant", "scream",  # loud speech, as in SPEECH_FORMS
    # verbs of the manner of speaking that style guides list for quote frames ('"...," Reyes fumed')
    "muse", "fume", "opine", "exhort", "retort", "exclaim", "scoff", "interject", "quip", "whisper",
}
# English reflexive pronouns (closed class): "found himself embroiled" is a small clause about the subject.
REFLEXIVE_PRONOUNS = {"himself", "herself", "themselves", "itself", "myself", "ourselves", "yourself", "yourselves", "oneself"}
# Verbs whose object the parser may have taken from the clause they report ("said pay for the season
# would be lower"); verbs that name whom it was said to ("told reporters") are not among them.
LOST_SUBJECT_VERBS = {"say", "argue", "claim", "predict", "believe", "think", "suggest", "insist"}
# Verbs of saying that make an aside of "as" report the clause it is set in ("As the study noted, ...";
# the common reporting verbs of news prose, without those of manner: "as she shouted" is a time).
ASIDE_VERBS = {"say", "note", "report", "write", "explain", "observe", "argue", "point", "mention", "suggest",
               "predict", "acknowledge", "warn", "remark", "claim", "state", "testify", "find", "show"}
# The legal form closing a company's name ("Samsung Electronics Co."): its first word then names it alone.
LEGAL_FORMS = {"co", "inc", "corp", "ltd", "llc", "plc", "ag", "sa", "nv", "gmbh", "corporation",
               "incorporated", "limited"}
# The plain verbs of saying with which "it" speaks for the organisation that just spoke ("It also said ...",
# "it told employees ..."); with others "it" is too often a thing ("it agreed to", "it shows").
IT_SAYS = {"say", "tell", "add", "note", "state", "announce", "report", "write", "explain", "confirm", "warn"}
# Verbs of saying that a passive verb can move someone to do: "was prompted to say", "was moved to add"
# (not "was meant to show", a purpose).
PLAIN_SAYING_VERBS = {"say", "add", "remark", "declare", "reply", "respond", "comment", "note", "quip", "tell"}
# Verbs of judging out loud ("blamed", "hailed X as", "decried"): a few quoted words in their object
# are the subject's own (the common verbs of praise and blame in news prose).
JUDGING_VERBS = {
    "blame", "bemoan", "decry", "denounce", "condemn", "criticize", "criticise", "praise", "hail", "defend",
    "accuse", "mock", "blast", "slam", "label", "dub", "brand", "term", "refer", "cite", "question", "challenge",
    "dismiss", "reject", "welcome", "applaud", "express", "voice", "tout", "characterize", "characterise", "ask",
}
# Of those, verbs that report only with a clausal complement ("X believes that ..."); alone
# beside a direct quote they do not attribute it ("I believe", not a speech act).
CCOMP_ONLY = {"believe", "think", "feel", "hope", "fear", "worry", "expect", "show", "find",
              "determine", "indicate", "wonder", "guess", "reason", "signal"} | CLAUSE_SPEECH_VERBS
# Verbs whose object is the thing said ("rules out X", "lists X"); (lemma, particle).
OBJECT_VERBS = {("rule", "out"), ("list", None), ("deny", None), ("confirm", None), ("announce", None),
                ("predict", None)}
# What one denies without saying anything: a request refused ("denied the permit"), not a claim disputed.
REFUSED_NOUNS = {"request", "application", "permit", "appeal", "bail", "entry", "access", "motion", "approval",
                 "parole", "visa", "licence", "license"}
# Inflected speech verbs as written in an attribution frame ('..., X said.'); the same verbs
# as SPEECH_VERBS in their -s/-ed forms, plus verbs of loud speech ("shouted", "chanted").
SPEECH_FORMS = ["said", "says", "say", "told", "tells", "added", "adds", "explained", "explains", "noted", "notes",
                "wrote", "writes", "asked", "asks", "continued", "continues", "stressed", "stresses", "argued", "argues",
                "suggested", "suggests", "recalled", "recalls", "insisted", "insists", "warned", "warns", "stated", "states",
                "declared", "declares", "replied", "replies", "responded", "responds", "joked", "jokes", "acknowledged",
                "acknowledges", "admitted", "admits", "claimed", "claims", "remarked", "remarks", "observed", "observes",
                "tweeted", "tweets", "posted", "announced", "announces", "confirmed", "confirms", "conceded", "concedes",
                "emphasized", "emphasizes", "emphasised", "emphasises", "cautioned", "cautions", "predicted", "predicts",
                "shouted", "shouts", "yelled", "chanted", "recounted", "recounts", "agreed", "agrees", "countered",
                "counters", "commented", "comments", "reiterated", "reiterates", "testified", "testifies", "pointed out",
                "points out", "went on", "goes on", "wondered", "wonders", "explained", "offered", "quipped", "laughed",
                # the manner of speaking ('"...," beamed X'; '"...," X shot back')
                "beamed", "mused", "muses", "fumed", "fumes", "opined", "opines", "exhorted", "reacted", "remembered",
                "retorted", "retorts", "exclaimed", "exclaims", "scoffed", "sighed", "interjected", "pleaded",
                "whispered", "boasted", "boasts", "complained", "complains", "lamented", "laments", "shot back",
                "fired back", "pressed", "snapped", "groused", "marveled", "marvelled",
                # closing or answering ('"...," Mr. Reyes concluded'; '"...," she answered')
                "concluded", "concludes", "answered", "answers",
                # putting it in words ('As Moss put it, "..."'; '"...," as one pilot puts it')
                "put it", "puts it"]
SPEECH_RE = "(?:" + "|".join(sorted({re.escape(w) for w in SPEECH_FORMS}, key=len, reverse=True)) + ")"
# Verbs that turn a reported claim into its denial ("X rules out Y" does not claim Y);
# kept with the quote so it is never shown as X asserting Y.
NEGATING_VERB_RE = re.compile(
    r"\b(?:rul(?:es|ed|ing) out|rule out|den(?:ies|ied|y|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|"
    r"refut(?:es|ed|ing|e)|doubt(?:s|ed)?)\s+$", re.I)
# Reported questions are not reports of a claim ("asked whether ...").
WH_CLAUSE_RE = re.compile(r"(?:whether|if|what|why|how|who|whom|which|when|where)\b", re.I)

# -- pronouns ------------------------------------------------------------------------------------

# English personal pronouns by grammatical gender (closed class).
PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
PLURAL_PRONOUNS = {"they", "them"}
# "some in the community", "those surveyed", "many of the workers": a group only with words saying who
GROUP_PRONOUNS = {"some", "those", "many", "most", "all", "both", "several", "few", "others"}
# Words that head a frame but never name a speaker: first and second person, relative and
# demonstrative pronouns (closed class).
FIRST_PERSON = {"i", "we", "me", "us", "you", "it", "this", "that", "which", "who", "what"}

# -- names, titles and organisations -------------------------------------------------------------

# Head nouns that make a noun phrase an organisation ("the union", "the city"); the common
# nouns of institutions, read in news prose.
ORG_NOUNS = {
    "union", "company", "agency", "city", "government", "ministry", "department", "police", "force",
    "board", "council", "party", "team", "club", "league", "association", "organization",
    "organisation", "group", "firm", "bank", "court", "office", "commission", "committee",
    "service", "authority", "province", "state", "country", "school", "university", "hospital",
    "network", "corporation", "airline", "embassy", "kremlin", "administration", "campaign",
    "federation", "institute", "foundation", "centre", "center", "detachment", "army", "military",
    "coalition", "caucus", "district", "municipality", "region", "store", "chain", "retailer",
}
# Verbs of saying whose object is the one told ("told the Gazette that ...").
TELLING_VERBS = {"tell", "assure", "inform", "remind", "warn", "notify", "advise", "promise", "convince"}
# Organisation nouns that name a place's government ("the city", "the province").
PLACE_NOUNS = {"city", "town", "municipality", "province", "state", "country", "region", "district"}
# People who work for an organisation and speak for it ("city staff", "company officials").
STAFF_NOUNS = {"staff", "official", "employee", "spokesperson", "spokesman", "spokeswoman", "representative",
               "lawyer", "engineer", "planner", "administrator"}
# Honorifics and titles that precede a name and are not part of it ("Mayor X", "Dr. X"):
# the usual English abbreviations and office titles, plus Canadian police ranks.
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "rev", "hon", "mx", "jr", "sr",
          "president", "minister", "premier", "mayor", "senator", "sen", "rep", "gov", "governor",
          "chief", "coach", "judge", "justice", "sgt", "cpl", "const", "insp", "supt", "lt", "capt",
          "gen", "col", "det", "officer", "pm", "secretary", "chancellor", "king", "queen", "prince",
          "pope", "general", "councillor", "cllr", "commissioner", "superintendent", "inspector",
          "sergeant", "corporal", "constable", "pres", "cst"}
TITLE_RE = re.compile(r"^(?:(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?\s+)+", re.I)
# Titles inside a longer name that make what follows a person ("Hereditary Chief X").
INNER_TITLE_RE = re.compile(r"^.*\b(?:Chief|Commissioner|Minister|Premier|Mayor|President|Senator|Sen\.|Rep\.|Gov\.|Governor|"
                             r"Superintendent|Inspector|Sergeant|Sgt\.|Cpl\.|Const\.|Constable|Corporal|Officer|Coach|Judge|Justice|"
                             r"Secretary|Chancellor|Councillor|Dr\.|Prof\.|Professor|Captain|Capt\.|Lt\.|General|Gen\.)\s+(?=[A-Z])")
# Periods that do not end a sentence: titles and initials ("Dr.", "J.").
ABBREV_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Lt|Sgt|Cpl|Const|Insp|Supt|Capt|Gen|Col|Det|Prof|Jr|Sr|Rev|Hon|"
                        r"Mt|Ft|Atty|Gen|Cmdr|Maj|Adm|Pres|Co|Corp|Inc|Ltd|No|[A-Z])\.")
# Words that describe a person's role; a noun phrase ending in one is a description
# ("analyst", "spokeswoman"), read in news prose; the second half added for political and
# public-service roles common in US and Canadian news.
ROLE_WORDS = set("""
analyst economist professor teacher coach director manager spokesperson spokesman spokeswoman lawyer attorney author
researcher scientist expert officer minister mayor councillor senator governor premier president chairman chairwoman
chair ceo founder owner resident residents neighbour neighbor witness student doctor dr nurse physician surgeon
pundit commentator strategist consultant activist advocate organizer organiser volunteer spokesperson historian
journalist reporter editor columnist critic official lawmaker legislator mp mla candidate leader head chief boss
executive president secretary treasurer trustee superintendent principal prosecutor judge justice detective constable
sergeant inspector agent captain lieutenant general colonel commander pilot driver worker farmer fisherman engineer
architect planner developer landlord tenant victim survivor mother father wife husband daughter son sister brother
defenceman defenseman forward goalie goaltender winger centre center striker midfielder defender pitcher quarterback
player rookie veteran captain manager fan host actor actress singer musician artist writer poet filmmaker director
nominee adviser advisor aide staffer operative pollster hopeful frontrunner contender challenger incumbent
representative delegate donor voter supporter ambassador diplomat envoy commissioner regulator lobbyist
businessman businesswoman entrepreneur investor banker trader broker accountant auditor clerk secretary
sheriff deputy marshal trooper warden chaplain priest pastor bishop rabbi imam cardinal pope monk nun
economist physicist chemist biologist epidemiologist psychologist psychiatrist therapist pharmacist dentist
paramedic firefighter soldier sailor marine veteran officer cop guard ranger coordinator administrator
""".split())
# Party labels and elected offices used as a description ("the Kentucky Republican").
PARTY_NOUNS = {"republican", "democrat", "liberal", "conservative", "tory", "labourite", "socialist", "independent",
               "mp", "mpp", "mla", "mep", "senator", "congressman", "congresswoman", "councillor", "lawmaker"}
# Words common in organisation names: a two-word name made of them is not a person.
GENERIC_ORG_WORDS = set("""
the national new united royal canadian american british city university department ministry bank first global
international federal provincial state north south east west central general public supreme human world european
chinese russian french german indian japanese ontario quebec toronto vancouver montreal ottawa calgary edmonton
alberta manitoba saskatchewan nova new york washington london paris beijing office house senate court police
""".split())
# First words of capitalised phrases that are instructions or connectives, not names
# ("Click Here", "When Smith").
NOT_NAME_START = {"restart", "create", "make", "build", "stop", "end", "keep", "let", "get", "read", "watch", "click",
                   "here", "there", "when", "while", "if", "but", "and", "or", "so", "as", "after", "before"}
# News outlets: an outlet ("tells Sputnik") is never a speaker or a mention. The wire
# services and the large English-language outlets, plus the sample data's Sputnik.
KNOWN_OUTLETS = {
    "sputnik", "reuters", "cbc", "cbc news", "ctv", "ctv news", "ctvnews", "global news", "the canadian press",
    "canadian press", "associated press", "the associated press", "ap", "afp", "bbc", "cnn", "the guardian",
    "the new york times", "the washington post", "bloomberg", "tass", "ria novosti", "rt", "postmedia",
    "the globe and mail", "the star", "toronto star", "national post", "fox news", "nbc", "abc", "cbs",
}

# -- things that are not speakers ----------------------------------------------------------------

# Common nouns for people in general (beside ROLE_WORDS' roles): a singular noun outside these lists,
# ORG_NOUNS, PARTY_NOUNS and DOCUMENT_NOUNS names a thing ("the timing of the surge"), never a source.
PERSON_NOUNS = {"person", "man", "woman", "source", "friend", "member", "partner", "colleague", "parent",
                "child", "kid", "citizen", "employee", "insider", "observer", "participant", "customer", "patient",
                "people", "public", "crowd", "family", "audience", "staff", "side", "camp", "panel", "jury",
                "electorate", "majority", "minority", "everyone", "everybody", "someone", "somebody", "anyone",
                "nobody", "one", "other", "another", "boy", "girl", "guy", "lady", "gentleman", "user", "reader",
                "viewer", "caller", "teen", "teenager", "youth", "adult", "senior", "relative", "cousin", "uncle",
                "aunt", "grandmother", "grandfather", "husband", "wife", "spouse", "fiance", "fiancee", "sibling",
                "character", "narrator", "host", "guest", "speaker", "protester", "demonstrator", "opponent",
                "rival", "ally", "backer", "proponent", "spokesperson", "representative", "insurer", "maker",
                "counsel", "defense", "defence", "prosecution", "plaintiff", "defendant", "victim"}

# Platforms carry words; they never say them ("wrote on Twitter"). The large social and video sites.
PLATFORMS = {"twitter", "x", "facebook", "instagram", "youtube", "tiktok", "reddit", "linkedin", "snapchat",
             "whatsapp", "telegram", "truth social", "threads", "bluesky", "mastodon", "weibo", "wechat", "vk"}
# Calendar words: a date is never a speaker.
CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                  "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                  "sunday", "today", "yesterday", "tomorrow", "tonight"}
# Entity types of figures, never a source (spaCy's OntoNotes labels; DATE is left out: the small
# model tags "two-year-old" and some names as dates).
NON_SOURCE_ENTITIES = {"PERCENT", "MONEY", "QUANTITY", "CARDINAL"}

# Nouns that can be the subject of a speech verb but are things, not speakers ("the data show").
NON_SPEAKERS = {"datum", "report", "study", "survey", "data", "document", "record", "video", "photo", "figure", "number",
                "poll", "research", "analysis", "attack", "finding", "footage", "image", "picture", "map", "chart",
                "graph", "table", "estimate", "evidence", "result", "test", "review", "audit", "file", "paper",
                "sign", "story", "article", "headline", "post", "tweet", "website", "site", "page", "book", "list", "it",
                "this", "that", "which", "there", "what"}
# Documents: "a statement from X" speaks for X; "the report" with no issuer named speaks as itself.
# Court and government papers added from the kinds of sources news cites (a complaint, an indictment).
DOCUMENT_NOUNS = {"statement", "release", "report", "letter", "email", "e-mail", "post", "tweet", "filing",
                  "complaint", "lawsuit", "suit", "document", "notice", "memo", "bulletin", "update", "message",
                  "study", "survey", "finding", "analysis", "review", "audit", "paper", "memorandum", "indictment",
                  "affidavit", "petition", "submission", "transcript", "assessment", "claim", "poll"}
# Verbs whose subject issues the document that is their object ("the agency released a report").
ISSUING_VERBS = {"release", "issue", "publish", "file", "submit", "send", "post", "write", "author", "produce",
                 "commission", "conduct", "unveil", "launch", "table", "present", "lodge", "bring"}
# Determiners and quantifiers dropped from the front of a description ("a spokesperson").
DETERMINERS = {"a", "an", "the", "some", "many", "several", "other", "another", "one", "two", "three",
               "both", "all", "most", "few"}
# Function words of English title case ("We Believe: The Best Men Can Be").
SMALL_TITLE_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as"}
# Link and navigation lines of news pages ("READ MORE: ..."), not reported speech.
SKIP_PARA_RE = re.compile(r"(?:READ MORE|WATCH|RELATED|LISTEN|MORE|SEE ALSO|CLICK HERE|Click here)\b\s*[:|]", re.I)

# -- gender cues ---------------------------------------------------------------------------------

# Common given names by usual gender: a weak cue used only to skip an incompatible antecedent
# for he/she (unknown names are compatible with both). The most common US given names (Social
# Security Administration lists), then French-Canadian, Russian, East and South Asian names and
# names met in news prose.
FEMALE_NAMES = set("""
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret sandra ashley
kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca sharon laura cynthia kathleen
amy shirley angela helen anna brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn
janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan
cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris abigail
julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte
rose alexis kayla wendy jayme cindy megda kenza nadia moyra alicia patrice sandra eleanore debbie hillary nancy
chrystia jody catherine kathleen elizabeth theresa angela jacinda melanie caroline claire sophie chloe ella mia ava
lily zoe leah nina vera irina olga natasha svetlana elena tatiana anastasia yulia marine monique nathalie isabelle
valerie sylvie genevieve josee lucie annie carla paula lucia ana sofia camila valentina fatima aisha amina layla
priya anita sunita deepa meera kavita linh mei ling yan xin hui jing ying keiko yuki sakura hana jin min ji soo
michelle stacey tracy tammy dana erin kristen kristin holly jill joanne leslie lori tina tiffany vanessa veronica
yvonne bonnie connie peggy sally sue tara tanya wanda rita rosa gina lynn lynne marlene maureen norma paige
""".split())
MALE_NAMES = set("""
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald
steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric
jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry
gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert willie
alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis doug hamish neil dave ernie
ken jeff tim bill mike steve tom jim bob dan rick rob ron don greg pete nick chris matt tony andy fred ted ben sam
justin stephen pierre jean francois jacques michel andre marc luc yves denis guy alain claude rene jagmeet maxime
vladimir dmitry sergei sergey igor ivan alexei alexey nikolai boris yuri oleg viktor mikhail pavel andrei gilbert
paolo hall shinzo emmanuel angela recep narendra imran benjamin mohammed muhammad ahmed ali omar
hassan hussein mahmoud khalid abdul ibrahim youssef hamza mamadou uhuru hiram joseph luke gatsby nino bo erik
alex teuvo rod mikael caleb seth connor mitch nathan jake kody richard malcolm trevor allan matthew robert eric
jerome rory seamus nathan vern derek dwayne roy marty cisco kevin jon brent melker logan joonas tomas
""".split()) - FEMALE_NAMES
# Nouns that describe someone only relative to another person ("the father" of the victim) or that stand
# for an unnamed source ("the person", "a source"): never the person last in focus by themselves.
RELATIONAL_NOUNS = {"father", "mother", "parent", "son", "daughter", "child", "wife", "husband", "brother",
                    "sister", "uncle", "aunt", "cousin", "grandfather", "grandmother", "family", "friend",
                    "relative", "person", "source", "insider"}
# Nouns and honorifics that carry gender ("his wife", "Mrs.").
GENDER_WORDS = {"mother": "f", "wife": "f", "daughter": "f", "sister": "f", "woman": "f", "girl": "f", "grandmother": "f",
                "spokeswoman": "f", "chairwoman": "f", "businesswoman": "f", "actress": "f", "aunt": "f", "mom": "f",
                "girlfriend": "f", "queen": "f", "princess": "f", "mrs": "f", "ms": "f", "miss": "f",
                "father": "m", "husband": "m", "son": "m", "brother": "m", "man": "m", "boy": "m", "grandfather": "m",
                "spokesman": "m", "chairman": "m", "businessman": "m", "actor": "m", "uncle": "m", "dad": "m",
                "boyfriend": "m", "king": "m", "prince": "m", "mr": "m", "sir": "m"}

# -- check-worthiness cues -----------------------------------------------------------------------

# What makes a statement worth checking: figures, dates, causal and comparative language;
# hedges and feelings lower it. Chosen by hand.
FIGURE_RE = re.compile(r"\d|percent|per cent|%|\bmillion\b|\bbillion\b|\bhalf\b|\bthird\b|\bdouble\b|\btwice\b")
DATE_RE = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|"
                      r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|last year|next year|"
                      r"\d{4})\b", re.I)
CAUSAL_RE = re.compile(r"\b(?:because|due to|caus\w*|lead to|led to|result\w*|therefore|so that|since|thanks to|"
                        r"more|less|fewer|most|least|higher|lower|larger|smaller|bigger|better|worse|increas\w*|"
                        r"decreas\w*|rise|rose|fell|fall|grow\w*|declin\w*|than|only|first|largest|biggest|record)\b", re.I)
HEDGE_RE = re.compile(r"\b(?:I think|I feel|maybe|perhaps|I hope|wonderful|great|happy|sad|thank)\b", re.I)
# A headline's label before its colon, never a source ("Breaking: ...", "Watch: ...", "Monday's Morning
# Email: ..."), and the words that open a phrase, not a name ("The Latest: ...", "Why Reyes: ...").
HEADLINE_LABELS = {"breaking", "exclusive", "watch", "look", "wow", "revealed", "boom", "busted", "update", "byline",
                   "notice", "latest", "bombshell", "leaked", "video", "photos", "live", "analysis", "opinion",
                   "review", "email", "daily"}
HEADLINE_OPENERS = {"the", "a", "an", "on", "in", "why", "how", "what", "when", "who", "just", "big"}
# Verbs of saying that a headline in title case writes capitalised ("Harbour Chief Says Pier Will Close"), where
# the parser takes them for names; not "States", "Notes", "Comments": as often nouns there.
HEADLINE_SAYING_VERBS = ("Says", "Tells", "Warns", "Claims", "Insists", "Explains", "Announces", "Admits", "Argues",
                         "Predicts", "Suggests", "Writes", "Jokes", "Concedes", "Confirms", "Declares")
# Words that make the part before a headline's colon a phrase, not a source ("Reyes is back:", "Spoiler no
# more:", "Reyes and Moss:", a pairing the story is about).
HEADLINE_PHRASE_WORDS = {"is", "are", "was", "were", "no", "and"}

"""Word lists the extraction rules share: event triggers, speech verbs, hedges.

Lists hold lower-case lemmas. They describe English war reporting in general;
nothing here names a particular article's people or places.
"""

# Event triggers by lemma. A verb and its nominalisation usually share a class.
VERB_TRIGGERS = {
    "Attack": {"attack", "strike", "shell", "bomb", "bombard", "pound", "pummel", "assault",
               "hit", "destroy", "target", "raid", "storm", "fire", "shoot", "kill"},
    "Combat": {"fight", "clash", "battle", "skirmish"},
    "Retreat": {"flee", "retreat", "withdraw", "rout", "abandon", "evacuate"},
    "Advance": {"advance", "push", "enter", "counterattack", "counteroffensive", "penetrate",
                "progress", "approach", "breach", "cross", "reach"},
    "TakeControl": {"capture", "seize", "occupy", "liberate", "recapture", "retake", "regain",
                    "take", "control", "secure", "clear"},
    "Defend": {"defend", "hold", "repel", "repulse", "resist"},
    "Encirclement": {"encircle", "surround", "besiege", "trap", "envelop"},
    "Redeployment": {"transfer", "redeploy", "deploy", "reinforce", "relocate", "reposition",
                     "regroup", "send"},
}
NOUN_TRIGGERS = {
    "Attack": {"attack", "strike", "airstrike", "shelling", "bombing", "bombardment", "assault",
               "raid", "barrage", "shellfire", "sortie"},
    "Combat": {"fighting", "fight", "battle", "clash", "combat", "skirmish", "firefight",
               "hostility"},
    "Retreat": {"retreat", "withdrawal", "flight", "pullback", "rout", "evacuation"},
    "Advance": {"advance", "push", "offensive", "counteroffensive", "counter-offensive",
                "counterattack", "counter-attack", "breakthrough", "incursion", "thrust",
                "assault", "progress", "gain", "gains"},
    "TakeControl": {"capture", "seizure", "occupation", "liberation", "recapture", "takeover"},
    "Defend": {"defense", "defence", "resistance"},
    "Encirclement": {"encirclement", "siege", "envelopment", "blockade", "cauldron"},
    "Redeployment": {"redeployment", "transfer", "deployment", "reinforcement", "relocation",
                     "buildup", "build-up"},
}
# A noun that is a trigger for two classes keeps the first listed here.
NOUN_PRIORITY = ("Advance", "Attack", "Combat", "Retreat", "TakeControl", "Defend",
                 "Encirclement", "Redeployment")

# Verb + particle or verb + object phrases: (lemma, particle/object lemma) -> class.
PHRASAL_TRIGGERS = {
    ("pull", "back"): "Retreat", ("fall", "back"): "Retreat", ("pull", "out"): "Retreat",
    ("move", "into"): "Advance", ("break", "through"): "Advance", ("push", "into"): "Advance",
    ("gain", "ground"): "Advance", ("cut", "off"): "Encirclement", ("take", "over"): "TakeControl",
    ("take", "control"): "TakeControl", ("shoot", "down"): "Attack", ("open", "fire"): "Attack",
    ("move", "troops"): "Redeployment",
}
# Verbs whose trigger needs a military argument before it counts (ordinary senses abound).
WEAK_VERBS = {"hold", "push", "take", "control", "hit", "target", "fire", "shoot", "cross",
              "approach", "progress", "deploy", "transfer", "enter", "trap", "fight", "move",
              "destroy", "storm", "resist", "evacuate", "abandon", "kill", "secure", "clear", "reach", "send"}

# Nouns heading a mention of a side's fighting forces: "Russian troops", "Ukrainian defenders".
FORCE_NOUNS = {"troop", "troops", "force", "forces", "soldier", "defender", "unit", "military",
               "army", "serviceman", "servicemen", "line", "contingent", "invader", "occupier",
               "fighter", "personnel", "grouping", "formation", "element", "garrison",
               "paratrooper", "marine", "infantry", "artillery", "aviation", "command",
               "commander", "battalion", "brigade", "regiment", "militia"}
# Nouns for groups that speak for a side: "Russian milbloggers", "Ukrainian officials".
SOURCE_NOUNS = {"milblogger": "milbloggers", "blogger": "milbloggers", "official": "officials",
                "source": "sources", "authority": "authorities", "media": "media",
                "outlet": "media", "journalist": "journalists", "correspondent": "war correspondents",
                "commentator": "commentators", "channel": "Telegram channels"}
# Nouns that stand for what they contain: "the town of X", "thousands of Y", "outskirts of Z".
CONTAINER_NOUNS = {"town", "city", "village", "settlement", "outskirts", "outskirt", "area",
                   "region", "oblast", "province", "vicinity", "suburb", "suburbs", "part",
                   "parts", "center", "centre", "direction", "axis", "district", "territory",
                   "thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "remnant",
                   "remnants", "group", "groups", "number", "numbers", "some", "most", "many",
                   "all", "rest", "portion", "elements", "element", "units", "unit", "troops",
                   "members", "fighters", "personnel", "one", "line", "front", "frontline",
                   "contact", "bank", "border", "approach", "approaches"}
# Definite descriptions that refer back to the last place of a kind.
ANAPHORIC_PLACE_NOUNS = {"town": "Settlement", "city": "Settlement", "village": "Settlement",
                         "settlement": "Settlement", "region": "Region", "oblast": "Region",
                         "province": "Region", "country": "Country"}

# Speech and report verbs that introduce a claim.
SPEECH_VERBS = {"say", "claim", "report", "write", "declare", "announce", "note", "state",
                "deny", "tell", "add", "confirm", "assert", "allege", "insist", "warn",
                "acknowledge", "admit", "post", "publish", "accuse", "argue", "suggest",
                "indicate", "show", "reveal", "boast"}
# Verbs of the publishing source's own analysis ("ISW assesses that ...").
ASSESS_VERBS = {"assess", "believe", "judge", "estimate", "forecast", "expect", "think"}
# Subjects that make a claim without naming who claims: "some are saying", "reports claim".
UNATTRIBUTED_SUBJECTS = {"some", "others", "other", "many", "report", "reports", "source",
                         "sources", "rumor", "rumour", "rumors", "rumours", "it", "they",
                         "people", "observer", "observers", "footage", "video", "videos",
                         "image", "images", "account", "accounts", "one", "few", "most"}
# Nouns that carry a claim for whoever they come from: "a report by CNN", "a statement of X".
REPORT_NOUNS = {"report", "statement", "post", "message", "video", "footage", "article",
                "briefing", "interview", "update", "announcement", "dispatch", "communique",
                "tweet", "source", "sources", "assessment", "analysis", "claim", "claims"}
HEARSAY_ADVERBS = {"reportedly", "allegedly", "purportedly", "supposedly", "ostensibly"}

# Modality cues.
POSSIBLE_AUX = {"may", "might", "could", "can", "would"}
POSSIBLE_WORDS = {"possible", "possibly", "potential", "potentially", "likely", "probable",
                  "probably", "perhaps", "unlikely", "maybe", "apparent", "apparently"}
PLANNED_VERBS = {"plan", "intend", "prepare", "aim", "seek", "want", "threaten", "vow",
                 "promise", "expect", "hope", "order"}
PLANNED_NOUNS = {"plan", "plans", "intention", "preparation", "preparations", "threat"}
NEGATING_VERBS = {"fail", "refuse", "cease", "stop", "avoid", "lack", "prevent", "unable"}

# Verbs that take a nominal event as object and lend it their subject as agent.
SUPPORT_VERBS = {"launch", "conduct", "begin", "start", "continue", "mount", "carry", "wage",
                 "stage", "undertake", "resume", "make", "score", "see", "lead", "engage",
                 "renew", "intensify", "initiate", "complete", "attempt", "execute",
                 "spearhead", "announce", "prepare", "plan"}
# Verbs whose subject undergoes the nominal event: "forces face encirclement".
UNDERGO_VERBS = {"face", "suffer", "undergo", "risk", "endure", "escape", "avoid", "fear"}

# Prepositions and the role their object fills.
PREP_ROLES = {"from": "origin", "out": "origin", "to": "destination", "toward": "destination",
              "towards": "destination", "into": "destination", "onto": "destination",
              "in": "location", "at": "location", "near": "location", "around": "location",
              "outside": "location", "inside": "location", "within": "location",
              "across": "location", "along": "location", "throughout": "location",
              "over": "location", "on": "location", "north": "location", "south": "location",
              "east": "location", "west": "location", "against": "target", "with": "target",
              "of": "of", "by": "agent", "for": None, "through": "location", "past": "location",
              "behind": "location", "beyond": "location", "upon": "location"}
COMPASS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
           "north-east", "north-west", "south-east", "south-west"}

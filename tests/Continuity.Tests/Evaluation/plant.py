#!/usr/bin/env python3
"""Plants continuity errors into copies of Pride and Prejudice's chapters and writes the labels (planted.json).

Deterministic (seeded): run it again and the same file comes out. Each copy is one chapter of the corpus's latest text with
three errors of different rules (and, in some copies, a truncation that misses the chapter's target length). An edit replaces
`find` by `replace` in line `line` (an empty `find` appends a sentence to the paragraph); `truncateAfter` keeps lines up to it.
Each label names the rule and the line where a checker must report it (null: anywhere, for chapter-level rules).

    python3 tests/Continuity.Tests/Evaluation/plant.py ../shared/corpus/pride-and-prejudice.history.jsonl.gz
"""
import gzip, json, os, random, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../shared/corpus/pride-and-prejudice.history.jsonl.gz")
latest = {}
with gzip.open(corpus, "rt", encoding="utf-8") as f:
    for line in f:
        rev = json.loads(line)
        latest[rev["chapter"]] = rev["markdown"]
codex = json.load(open(os.path.join(HERE, "pride-and-prejudice.codex.json"), encoding="utf-8"))
rng = random.Random(6)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
SEASON = {"Christmas": 11, "Easter": 3, "autumn": 8}

def anchor_month(story_time):
    for i, m in enumerate(MONTHS):
        if m in story_time:
            return i
    for k, v in SEASON.items():
        if k in story_time:
            return v
    return None

anchors = sorted((e["chapter"], anchor_month(e["storyTime"])) for e in codex["timeline"])
unwrapped, prev = [], None
for chapter, month in anchors:
    value = month if prev is None else prev - prev % 12 + month + (12 if prev - prev % 12 + month < prev else 0)
    prev = max(prev, value) if prev is not None else value
    unwrapped.append((chapter, value))

def window(chapter):
    before = [m for c, m in unwrapped if c <= chapter]
    after = [m for c, m in unwrapped if c >= chapter]
    low = before[-1] if before else after[0] - 2
    high = after[0] if after else low + 2
    return {(m % 12) for m in range(low - 1, high + 2)}  # a month of margin either side: the planted month must be clearly wrong

def words(text):
    return len(re.findall(r"[\w’'-]+", text))

def narration_lines(lines):
    """Paragraphs of pure narration (no dialogue), long enough to carry a planted sentence."""
    letter = False
    result = []
    for i, text in enumerate(lines):
        if re.match(r"^\s*(?:My\s+)?[Dd]ear", text) and text.rstrip().endswith(","):
            letter = True
        if text.strip() and not letter and "“" not in text and "”" not in text and words(text) >= 25:
            result.append(i)
        if letter and 0 < words(text) <= 4 and text.rstrip().endswith("."):
            letter = False
    return result

EYES = ["{n}’s blue eyes betrayed nothing of what she felt.", "{n}, whose grey eyes were fixed upon the window, said nothing more.",
        "{n} turned her green eyes towards the door.", "{n}’s light blue eyes were bright with amusement."]
AGES = [("Lydia", 41, ["Lydia, a girl of twelve, was wild with spirits.", "Lydia, who was nineteen, thought herself very much a woman."]),
        ("Charlotte", 60, ["Charlotte, who was thirty-five, had long given up hope of a husband.", "Charlotte was only nineteen, and very sensible."]),
        ("Mr. Collins", 60, ["Mr. Collins, a man of forty, bowed very low.", "Mr. Collins, then a young man of eighteen, had much to learn."]),
        ("Miss Darcy", 60, ["Miss Darcy, a girl of ten, was shy and very quiet."])]
HEIGHTS = ["Mr. Darcy was rather short, and stood stiffly by the fire.", "Lady Catherine was a short, slight woman, with little dignity of air.",
           "Mr. Collins was short and very round."]
RELATIONS = ["Elizabeth’s cousin Jane had said as much before.", "Mr. Darcy’s brother Colonel Fitzwilliam was of the same opinion.",
             "Mr. Bingley’s cousin Miss Bingley looked on in silence.", "Charlotte’s sister Elizabeth could not agree.",
             "Miss Darcy’s cousin Mr. Darcy had been her guardian."]
TITLES = [("Mr. Wickham", ["Captain Wickham", "Colonel Wickham"]), ("Mr. Collins", ["Dr. Collins", "Sir Collins"]),
          ("Mr. Bingley", ["Lord Bingley"]), ("Mr. Darcy", ["Colonel Darcy", "Sir Darcy"])]
MISSPELLINGS = {"Bingley": ["Bingly", "Bingely", "Bignley"], "Darcy": ["Darcey", "Dracy", "Darci"], "Elizabeth": ["Elizabteh", "Elizbeth", "Elizabet"],
                "Wickham": ["Wickam", "Wickhem", "Wikham"], "Collins": ["Colins", "Collns", "Collings"], "Lydia": ["Lidia", "Lyida"],
                "Charlotte": ["Charlote", "Charlottte"], "Georgiana": ["Georgianna", "Georgina"], "Gardiner": ["Gardinar", "Gardner"],
                "Lucas": ["Lukas"], "Catherine": ["Cathrine", "Catherina"]}
DEAD = ["“We must hope for the best,” said Sir Lewis de Bourgh.", "Sir Lewis de Bourgh rose and bowed to the company.",
        "Sir Lewis smiled at everyone present.", "“Indeed,” replied Sir Lewis, “it is very true.”", "Sir Lewis walked slowly across the room.",
        "At that moment Sir Lewis de Bourgh entered the room."]
TIMES = ["It was now the middle of {m}.", "It was now early {m}, and the lanes were dry.", "{m} had come at last.", "It was {m}, and the house was quiet."]
POV = ["I confess I was as surprised as anyone.", "My own opinion, I must own, was very different.", "I watched them both, and I said nothing.",
       "I remember that evening well, for my own heart was full."]
BANNED = ["Her silence was a testament to her composure.", "The news sent shivers down her spine.", "Little did she know how soon it would all change.",
          "The room held a tapestry of voices.", "She felt the weight of the world upon her shoulders.", "There was a palpable tension in the room."]
REPEATED = ["with a heavy and uncertain heart", "as the silence stretched between them", "her thoughts racing in every direction",
            "a wave of quiet resolve washed over her"]
PRESENT = {"was": "is", "were": "are", "had": "has", "said": "says", "walked": "walks", "looked": "looks", "went": "goes", "came": "comes",
           "seemed": "seems", "thought": "thinks", "knew": "knows", "felt": "feels", "turned": "turns", "smiled": "smiles", "saw": "sees",
           "took": "takes", "made": "makes", "gave": "gives", "wanted": "wants", "told": "tells", "asked": "asks", "replied": "replies",
           "stood": "stands", "sat": "sits", "heard": "hears", "found": "finds", "left": "leaves", "entered": "enters", "began": "begins",
           "spoke": "speaks", "laughed": "laughs", "answered": "answers", "watched": "watches", "held": "holds", "kept": "keeps",
           "returned": "returns", "opened": "opens", "wondered": "wonders", "hoped": "hopes", "feared": "fears", "believed": "believes",
           "could": "can", "would": "will", "did": "does"}
SUBJECT = r"(?<![\w’'])((?:he|she|they|it|He|She|They|It|I|we|We|[A-Z][a-z]{2,})\s+(?:(?:then|now|still|also|only|just|never|quickly|slowly|softly)\s+)?)"
TENSE = re.compile(SUBJECT + r"(" + "|".join(PRESENT) + r")\b")

def plant(rule, chapter, lines, used):
    """One error of `rule` in a paragraph not used yet: (edit, label) or None when the chapter offers no place for it."""
    narration = [i for i in narration_lines(lines) if i not in used]
    rng.shuffle(narration)
    if rule == "character.fact_contradiction":
        kind = rng.choice(["eyes", "age", "height", "relation", "title"])
        if kind == "title":
            for i in narration + [i for i in range(len(lines)) if i not in used]:
                for known, wrong in TITLES:
                    pattern = known.replace(" ", r"\s")
                    m = re.search(pattern + r"(?![\w])", lines[i])
                    if m:
                        return i, m.group(0), rng.choice(wrong)
            return None
        if kind == "eyes":
            sentence = rng.choice(EYES).format(n="Elizabeth")
        elif kind == "age":
            options = [s for name, until, ss in AGES if chapter <= until for s in ss]
            sentence = rng.choice(options)
        elif kind == "height":
            sentence = rng.choice(HEIGHTS)
        else:
            sentence = rng.choice(RELATIONS)
        return (narration[0], "", sentence) if narration else None
    if rule == "character.unknown_name":
        candidates = [(i, name) for i in range(len(lines)) if i not in used for name in MISSPELLINGS if re.search(r"(?<![\w])" + name + r"(?![\w])", lines[i])]
        if not candidates:
            return None
        i, name = rng.choice(candidates)
        return i, name, rng.choice(MISSPELLINGS[name])
    if rule == "character.dead_appears":
        return (narration[0], "", rng.choice(DEAD)) if narration else None
    if rule == "timeline.order":
        allowed = window(chapter)
        month = rng.choice([m for m in range(12) if m not in allowed and (m - 1) % 12 not in allowed and (m + 1) % 12 not in allowed])
        return (narration[0], "", rng.choice(TIMES).format(m=MONTHS[month])) if narration else None
    if rule == "pov.shift":
        return (narration[0], "", rng.choice(POV)) if narration else None
    if rule == "tense.shift":
        for i in narration:
            converted, count = TENSE.subn(lambda m: m.group(1) + PRESENT[m.group(2)], lines[i])
            if count >= 4:
                return i, lines[i], converted
        return None
    if rule == "style.repetition":
        return (narration[0], "", rng.choice(BANNED)) if narration else None
    raise ValueError(rule)

RULES = ["character.fact_contradiction", "character.unknown_name", "character.dead_appears", "timeline.order", "pov.shift", "tense.shift", "style.repetition"]
copies = []
for copy in range(64):
    chapter = copy % 61 + 1
    lines = latest[chapter].split("\n")
    edits, labels, used = [], [], set()
    for slot in range(3):
        rule = RULES[(copy * 3 + slot) % len(RULES)]
        planted = plant(rule, chapter, lines, used)
        if planted is None:
            continue
        i, find, replace = planted
        used.add(i)
        edits.append({"line": i + 1, "find": find, "replace": replace})
        labels.append({"rule": rule, "line": i + 1})
    if copy % 4 == 0:
        narration = [i for i in narration_lines(lines) if i not in used]
        phrase = REPEATED[copy // 4 % len(REPEATED)]
        if len(narration) >= 3:
            places = sorted(rng.sample(narration, 3))
            for i in places:
                used.add(i)
                edits.append({"line": i + 1, "find": "", "replace": f"She went on {phrase}."})
            labels.append({"rule": "style.repetition", "line": places[-1] + 1})
    entry = {"copy": copy + 1, "chapter": chapter, "edits": edits, "labels": labels}
    if copy % 5 == 0:
        original = words(latest[chapter])
        keep = [i for i, t in enumerate(lines) if t.strip()]
        cut = keep[max(1, len(keep) * 3 // 10)]
        entry["targetLength"] = original
        entry["truncateAfter"] = cut
        entry["edits"] = [e for e in edits if e["line"] <= cut]
        entry["labels"] = [l for l in labels if l["line"] <= cut] + [{"rule": "length.target", "line": None}]
    copies.append(entry)

with open(os.path.join(HERE, "planted.json"), "w", encoding="utf-8") as out:
    json.dump({"about": "Planted continuity errors in copies of Pride and Prejudice chapters; generated by plant.py (seed 6).", "copies": copies},
              out, ensure_ascii=False, indent=1)
counts = {}
for c in copies:
    for l in c["labels"]:
        counts[l["rule"]] = counts.get(l["rule"], 0) + 1
print(sum(counts.values()), "planted errors:", counts)

namespace Folio.Generation.Core.Offline;

/// <summary>
/// The offline writer's hand-written English phrase bank. Sentence templates name their slots in braces:
/// {a} and {b} are two different living characters on stage, {place} the chapter's setting and {elsewhere} another
/// place of the book, and the other slots draw from the word lists below. Every template carries at least one slot
/// with a long list, so that thirty chapters of one book rarely produce the same sentence twice.
/// </summary>
internal static class PhraseBank
{
    public static readonly string[] Narration =
    [
        "{a} {action} while {weather}.",
        "{a} {action}, though {feeling} kept pulling at the edge of every thought.",
        "For a long moment {a} {gesture} and said nothing at all.",
        "{a} {gesture}.",
        "{a} waited by {feature} {time}.",
        "Somewhere behind {feature} came {sound}.",
        "{a} heard {sound} and went very still.",
        "The air by {feature} smelled of {smell}.",
        "{a} turned {object} over in both hands, looking for something that had not been there before.",
        "There was {feeling} in the way {a} {action}.",
        "{a} felt {feeling} settle like a stone under the ribs.",
        "{Time}, {a} {action}.",
        "{Time}, {weather}, and {a} {gesture}.",
        "Nobody at {place} had ever explained {object} to {a}.",
        "{a} set {object} down beside {feature} and stepped back from it.",
        "It occurred to {a}, looking at {object}, {thought}.",
        "Standing by {feature}, {a} could not shake the feeling {thought}.",
        "By {feature}, {a} and {b} {together}.",
        "{b} {action}, and {a} pretended not to notice.",
        "{a} watched {b} {actionPresent} and felt {feeling}.",
        "Neither {a} nor {b} mentioned {object}.",
        "{b} {gesture}, which was answer enough for {a}.",
        "The light shifted across {feature}, and {a} {action}.",
        "{a} thought about {elsewhere} and the long road from it.",
        "{a} had left {elsewhere} with nothing but {object} and {feeling} for company.",
        "Outside, {weather}, and inside {a} {action}.",
        "{a} counted the seconds between {sound} and the silence after it.",
        "It was {feeling}, more than anything, that kept {a} at {place}.",
        "{a} made a note of {feature}, of {object}, of the way {sound} carried.",
        "Every step {a} took toward {feature} seemed louder than the last.",
        "{a} lingered near {feature}, half expecting {sound}.",
        "With {feeling} rising, {a} {action}.",
        "{a} traced the outline of {object} and tried to remember who had made it.",
        "At {place}, {time}, even {feature} looked unfamiliar.",
        "{a} {action} and then, without knowing why, {gesture}.",
        "The smell of {smell} drifted over from {feature}.",
        "{b} glanced at {object}, then at {a}, then away.",
        "Whatever {b} had meant by leaving {object} there, {a} took it as a kindness.",
        "{a} glanced at {object} and realised {thought}.",
        "The silence after {sound} was full of {feeling}.",
        "{a} kept one hand on {object}.",
        "Small things held {a} together {time}: {object}, {smell}, {sound}.",
        "{b} stood by {feature} as if {b} had always belonged there.",
        "There were better places than {place} to feel {feelingAdjective}, but {a} had none of them, only {object}.",
        "{a} looked out over {place} and felt {feeling} loosen a little.",
        "Under {feature}, {a} found {object}, exactly where nobody would look.",
        "{a} wondered whether {b} had noticed {object} too.",
        "{a} {action}; it was something to do with the hands.",
        "If {b} felt {feeling}, it did not show.",
        "{a} listened to {sound} and let the thought go.",
        "The day had the texture of {smell} and {sound}.",
        "{b} {action}, slow and careful, as though the floor might give way.",
        "{a} put {feeling} aside for later.",
        "By {feature}, {b} {gesture}.",
        "{a} walked the length of {place} twice before sitting down near {feature}.",
        "All through that hour {a} was aware of {object}, the way one is aware of a sore tooth.",
        "{a} had promised {b} something once, {time}, and still meant to keep it.",
        "It was not {feeling} exactly, {a} decided, but something close to it.",
        "{a} followed {b} past {feature} without a word.",
        "The two of them, {a} and {b}, {together} until {sound} interrupted.",
        "{a} tucked {object} away and went back to {feature}.",
        "Even though {weather}, {a} did not hurry.",
        "{a} could still taste {smell} {time}.",
        "Somebody had left {object} by {feature}, and {a} did not like it.",
    ];

    public static readonly string[] Dialogue =
    [
        "\"{line},\" {a} {said}.",
        "\"{line},\" {a} {said}, and {gesture}.",
        "\"{line},\" {a} told {b} across {feature}.",
        "{a} set down {object} and asked {b}, \"{question}?\"",
        "{a} turned from {feature} and asked {b}, \"{question}?\"",
        "{b} did not look up from {object} when {a} asked, \"{question}?\"",
        "\"{line},\" {b} {said}, not quite meeting the eyes of {a}.",
        "{a} {gesture} before answering: \"{line}.\"",
        "\"{line},\" {b} {said}, {time}.",
        "\"{line},\" {a} {said} over {sound}.",
    ];

    public static readonly string[] EyeDetail =
    [
        "{a}'s {colour} eyes went to {object} and stayed there.",
        "Something moved behind {a}'s {colour} eyes, {feeling} perhaps.",
        "{a} narrowed {colour} eyes against the light from {feature}.",
        "In the light from {feature}, {a}'s {colour} eyes looked darker than ever.",
        "{a} looked up, {colour} eyes steady, and {action}.",
        "When {sound} came, {a}'s {colour} eyes went straight to {feature}.",
    ];

    public static readonly string[] HairDetail =
    [
        "{a} pushed back {colour} hair and {action}.",
        "The wind near {feature} caught {a}'s {colour} hair.",
        "{a} tied back {colour} hair and {action}.",
        "A strand of {colour} hair fell across {a}'s face as {a} {action}.",
        "{a}'s {colour} hair was damp by the time {a} reached {feature}, and {feeling} had not eased.",
    ];

    public static readonly string[] Memory =
    [
        "{a} remembered {dead} {time}, and the memory brought {feeling}.",
        "For a moment {a} could almost hear {dead}, though {dead} was only a memory now.",
        "{a} remembered how {dead} used to talk about {object}.",
        "The memory of {dead} stayed with {a} all the way past {feature}.",
        "{a} remembered {dead} standing by {feature}, and had to look away.",
    ];

    /// <summary>The chapter's first sentence: where we are, and under what sky.</summary>
    public static readonly string[] Openings =
    [
        "{Time} at {place}, {weather}.",
        "At {place}, {weather}.",
        "{weather} at {place} {time}.",
        "{Time}, {weather}, and {place} was quiet.",
        "Nothing at {place} moved much {time}, and {weather}.",
    ];

    /// <summary>How a beat is restated when its run of paragraphs begins; {beat} is the beat as a clause.</summary>
    public static readonly string[] BeatOpenings =
    [
        "{Beat}.",
        "Now {beat}.",
        "Next, {beat}.",
        "And so {time} {beat}.",
        "Here the story turns: {beat}.",
        "So it comes to this: {beat}.",
        "This is the part nobody will forget: {beat}.",
    ];

    public static readonly string[] Actions =
    [
        "checked the latch twice", "rolled up both sleeves", "folded the map along its old creases",
        "counted the coins again", "sharpened a pencil down to a stub", "straightened the chairs by the wall",
        "wiped the dust from the sill", "lit the lamp with an unsteady hand", "emptied a pocket onto the table",
        "tied a knot and then untied it", "read the same line three times", "poured a cup of water and forgot it",
        "paced from one wall to the other", "tested the floorboards with a heel", "pulled a coat tighter",
        "fed the fire another log", "wound the old clock", "rubbed cold fingers together",
        "stacked the letters in order", "scraped mud from a boot", "drew the curtain halfway",
        "searched the drawer for a candle", "mended a torn strap", "hummed a tune from childhood",
        "leaned against the doorframe", "studied the marks on the floor", "turned the key in the lock",
        "picked at a loose thread", "knelt to look under the bench", "set out two cups without thinking",
        "sorted the papers into piles", "cleaned the blade slowly", "brushed ash from the table",
        "opened the window a crack", "rewrote the note from the beginning", "tested the weight of the bag",
    ];

    public static readonly string[] ActionsPresent =
    [
        "check the latch", "fold the map", "count the coins", "light the lamp", "tie a careful knot",
        "read the letter again", "pace the room", "feed the fire", "wind the clock", "stack the letters",
        "scrape the mud from a boot", "draw the curtain", "mend the strap", "sort the papers",
        "clean the blade", "open the window", "pack the bag", "study the floor", "turn the key",
    ];

    public static readonly string[] Gestures =
    [
        "folded both arms", "let out a slow breath", "rubbed the back of the neck", "looked at the floor",
        "gave a small shrug", "pressed both palms flat on the table", "shook the rain from a sleeve",
        "closed both eyes for a moment", "glanced toward the door", "bit back a reply", "nodded once",
        "tapped a finger against the glass", "stared at nothing in particular", "half smiled",
        "drummed on the table", "shifted from one foot to the other", "straightened up", "laughed without humour",
        "touched the scar on one wrist", "looked up sharply", "frowned at the window", "pulled a chair closer",
    ];

    public static readonly string[] Together =
    [
        "shared the last of the bread", "walked on in silence", "argued in low voices", "studied the map together",
        "took turns at the window", "sat with their backs to the wall", "carried the crate between them",
        "kept watch side by side", "went over the plan once more", "laughed at the same moment",
        "counted what was left of the money", "waited for the other to speak first", "traded stories about home",
    ];

    public static readonly string[] Objects =
    [
        "the brass key", "the torn letter", "a folded map", "the cracked lantern", "an old photograph",
        "the silver ring", "a bundle of receipts", "the broken compass", "a length of blue ribbon",
        "the ledger", "a chipped teacup", "the leather satchel", "a box of matches", "the pocket watch",
        "a small wooden horse", "the iron nail", "a sealed envelope", "the unfinished sketch", "a loaf of bread",
        "the rusted padlock", "a spool of thread", "the hand-drawn card", "a stub of candle", "the notebook",
        "a pair of gloves", "the copper coin", "a bottle of ink", "the ticket stub", "a blunt knife",
        "the wax seal", "a borrowed coat", "the empty birdcage", "a bunch of dried lavender", "the last apple",
    ];

    public static readonly string[] Features =
    [
        "the narrow window", "the stairwell", "the low doorway", "the cold hearth", "the far wall",
        "the crooked table", "the back step", "the gate", "the loose floorboard", "the shelf of jars",
        "the sagging roof beam", "the well", "the bench by the door", "the corner cupboard", "the landing",
        "the empty fireplace", "the rain barrel", "the long corridor", "the archway", "the woodpile",
        "the old clock", "the chipped sink", "the garden wall", "the lamp post", "the heavy curtain",
    ];

    public static readonly string[] Feelings =
    [
        "unease", "relief", "a dull anger", "homesickness", "dread", "a strange calm", "guilt", "hope",
        "impatience", "tenderness", "suspicion", "grief", "stubbornness", "embarrassment", "loneliness",
        "curiosity", "exhaustion", "gratitude", "a prickle of fear", "resentment", "quiet pride", "regret",
        "restlessness", "doubt", "wonder", "longing",
    ];

    public static readonly string[] FeelingAdjectives =
    [
        "safe", "brave", "alone", "patient", "ordinary", "forgiven", "useful", "certain", "awake", "small",
        "calm", "hopeful", "unwatched", "young again",
    ];

    public static readonly string[] Sounds =
    [
        "the creak of a floorboard", "a door closing somewhere", "the tick of the clock", "footsteps overhead",
        "a dog barking far off", "the hiss of the kettle", "laughter from the street", "a bell ringing twice",
        "the scrape of a chair", "wind worrying the shutters", "water dripping into a bucket", "a cough in the dark",
        "the rattle of a cart", "gulls crying", "a latch lifting", "pages turning", "a horse stamping",
        "a glass breaking", "someone whistling", "the low hum of voices",
    ];

    public static readonly string[] Smells =
    [
        "woodsmoke", "wet stone", "old paper", "candle wax", "bread", "salt and tar", "rain on dust",
        "lamp oil", "crushed mint", "cold ashes", "pine resin", "damp wool", "burnt sugar", "river mud",
    ];

    public static readonly string[] Thoughts =
    [
        "that the worst was not over", "that someone had been here first", "that time was running short",
        "that the answer had been in plain sight", "that trust was a kind of debt", "that nothing here was accidental",
        "that the house was listening", "that an apology would not be enough", "that the plan had a flaw",
        "that leaving would be easier than staying", "that the silence meant something", "that courage was mostly habit",
        "that the truth would cost more than a lie", "that it was already too late to turn back",
    ];

    public static readonly string[] Lines =
    [
        "We should not stay here", "I know what I saw", "You are not listening to me", "It is later than you think",
        "Give me one more hour", "Nobody else has to know", "I kept it for you", "That was never the plan",
        "We have done harder things", "Leave it where it is", "I thought you had gone", "It was my fault, not yours",
        "There is still time", "Tell me the rest of it", "I am not afraid of the dark", "You should sleep",
        "Someone has been through the drawers", "We need to talk about the money", "Say that again",
        "I would do it again", "It is only the wind", "Promise me you will wait", "I found it under the floor",
        "Do not make me choose", "We start at first light", "That is all I remember", "Keep your voice down",
        "I have been here before", "It does not matter now", "You knew all along",
    ];

    public static readonly string[] Questions =
    [
        "Did you hear that", "Where did you find it", "How long have you known", "Are you sure it was him",
        "What do we do now", "Who else knows", "Why did you come back", "Is it still there", "Can you carry it",
        "What did the letter say", "When did it stop raining", "Do you trust me", "Was anybody following you",
        "Have you eaten", "Shall I light the lamp", "What are you not telling me", "Is the door locked",
        "Will you stay tonight", "Why now", "Does it still hurt",
    ];

    public static readonly string[] SpeechVerbs = ["said", "murmured", "admitted", "whispered", "insisted", "said quietly", "said at last"];

    /// <summary>Weather comes in families so that one chapter keeps one sky.</summary>
    public static readonly string[][] WeatherFamilies =
    [
        ["rain drummed on the roof", "the rain came down in grey sheets", "water ran in the gutters", "a thin rain kept falling", "the puddles shivered with every gust", "rain ticked against the glass"],
        ["fog sat in the lanes", "the fog swallowed the far end of the street", "mist beaded on every surface", "the world beyond the window was white with fog", "the fog muffled every sound", "a damp mist hung over everything"],
        ["the wind tugged at the shutters", "a hard wind came off the hills", "the wind moaned under the door", "gusts rattled the loose tiles", "the wind scattered leaves across the yard", "the wind would not settle"],
        ["the sky was a clean, hard blue", "sunlight lay across the floor in bars", "the air was bright and still", "the sun warmed the stones", "not a cloud moved overhead", "the light was sharp and clear"],
        ["snow drifted against the walls", "the snow fell without a sound", "frost had crept up the windows", "the cold bit at every finger", "snow softened the edges of everything", "ice glittered on the step"],
        ["the heat pressed down on the roofs", "the air shimmered over the road", "the afternoon was thick with heat", "dust hung in the hot air", "the heat made every movement slow", "not a breath of wind stirred"],
    ];

    /// <summary>Times of day in the order a chapter may move through them.</summary>
    public static readonly string[][] TimePhases =
    [
        ["before dawn", "in the grey before sunrise", "while the house still slept"],
        ["in the early morning", "as the sun came up", "soon after breakfast"],
        ["at midday", "in the middle of the day", "around noon"],
        ["in the long afternoon", "as the afternoon wore on", "late in the afternoon"],
        ["at dusk", "as the light failed", "in the early evening"],
        ["after dark", "deep into the night", "long after midnight"],
    ];

    public static readonly string[] TitleAdjectives =
    [
        "Broken", "Silent", "Last", "Hidden", "Borrowed", "Long", "Cold", "Burning", "Quiet", "Lost", "Narrow", "Second",
    ];

    public static readonly string[] TitleNouns =
    [
        "Compass", "Door", "Winter", "Letter", "Road", "Harbour", "Promise", "Lantern", "Key", "Bridge", "Hour", "Map",
    ];

    /// <summary>Beats invented when the outline gives none: {a}/{b} characters, {place}/{elsewhere} places.</summary>
    public static readonly string[] InventedBeats =
    [
        "{a} arrives at {place} with {object}",
        "{a} and {b} argue about {object}",
        "{a} discovers {object} hidden near {feature}",
        "{b} reveals a secret about {elsewhere}",
        "{a} decides to trust {b}",
        "{a} follows a trail from {place} to {elsewhere}",
        "{b} warns {a} that someone is watching",
        "{a} loses {object} and has to go back for it",
        "{a} confronts {b} about the lie",
        "{a} makes a plan to leave {place}",
        "{b} is hurt and {a} has to choose",
        "{a} finds a message written on {object}",
    ];

    public static readonly string[] Goals =
    [
        "learn what {object} really means", "decide whether {b} can be trusted", "get away from {place} unseen",
        "keep a promise made at {elsewhere}", "find out who has been in {place}", "face what happened before",
    ];
}

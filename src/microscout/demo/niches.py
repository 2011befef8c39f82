"""The demo niches: IAB Tech Lab Content Taxonomy 3.1 categories with the words creators use.

Ids and names are those of the IAB Tech Lab Content Taxonomy 3.1 (CC BY 3.0). The vocabularies
are written for the demo. They are kept deliberately niche-specific, because text search is later
evaluated on how well it retrieves a niche's creators from a brief; cross-niche noise (lifestyle
words, generic hashtags) is added by the generator, not here.

Templates use ``{a}`` and ``{b}`` for two topic words of the niche, in that order; either may be
absent. Word lists are written as comma-separated strings to keep the module readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from microscout.demo.text import words as _words

_SLOTS = re.compile(r"\{[ab]\}")


@dataclass(frozen=True)
class Niche:
    """One demo niche: its IAB category and the vocabulary its creators write with."""

    key: str
    iab_id: str
    iab_name: str
    handle_words: tuple[str, ...]
    topics: tuple[str, ...]
    hashtags: tuple[str, ...]
    brands: tuple[str, ...]
    bios: tuple[str, ...]
    captions: tuple[str, ...]
    comments: tuple[str, ...]

    def __post_init__(self) -> None:
        for template in (*self.bios, *self.captions, *self.comments):
            slots = _SLOTS.findall(template)
            if slots not in ([], ["{a}"], ["{a}", "{b}"]):
                raise ValueError(f"{self.key}: template slots must be {{a}} then {{b}}: {template}")


NICHES: tuple[Niche, ...] = (
    Niche(
        key="skincare",
        iab_id="559",
        iab_name="Skin Care",
        handle_words=_words("skin, glow, derm, serum, skincare"),
        topics=_words(
            "retinol, niacinamide, hyaluronic acid, sunscreen, SPF 50, double cleansing, "
            "vitamin C serum, barrier repair, acne scars, moisturizer, exfoliating toner, "
            "sensitive skin, dark spots, ceramides, night cream, glass skin, pores, eye cream"
        ),
        hashtags=_words(
            "skincare, skincareroutine, glowingskin, acne, skincaretips, spf, retinol, "
            "niacinamide, kbeauty, healthyskin, serum, dermatologist, clearskin, selfcare"
        ),
        brands=_words("glowlab.skin, dermapure, lumiskin.co, barrierbalm, dewdrop.beauty"),
        bios=(
            "Skincare nerd 🧴 honest reviews of {a} and {b}",
            "Licensed esthetician | glowing skin without the hype | {a} talk",
            "Sensitive skin diaries: {a}, {b} and daily SPF ☀️",
            "Your skincare bestie ✨ routines for acne-prone skin",
        ),
        captions=(
            "My AM skincare routine: {a} first, then {b} 🧴",
            "Honest review: 4 weeks of {a} on my sensitive skin",
            "Can you mix {a} with {b}? Skincare myth busting",
            "Night routine for clear skin: {a} + {b} ✨",
            "Dermatologist tips on {a} for acne-prone skin",
            "Glass skin in 3 steps with {a} and {b}",
            "Stop skipping {a}! Your skin barrier will thank you",
            "Empties of the month: the {a} I repurchased and the {b} I won't",
        ),
        comments=(
            "Does the {a} work on sensitive skin?",
            "Your skin is glowing 😍",
            "Which sunscreen do you use?",
            "I started {a} because of you and my acne is better!",
            "Can I use this with retinol?",
            "Skin goals ✨",
        ),
    ),
    Niche(
        key="fitness",
        iab_id="225",
        iab_name="Fitness and Exercise",
        handle_words=_words("fit, lift, gains, strong, coach"),
        topics=_words(
            "deadlifts, squats, HIIT, leg day, progressive overload, protein, mobility drills, "
            "glute bridges, pull-ups, kettlebell swings, core workout, cardio, bench press, "
            "resistance bands, home workout, rest day, macros, 5k run"
        ),
        hashtags=_words(
            "fitness, workout, gym, fitnessmotivation, legday, strengthtraining, homeworkout, "
            "personaltrainer, fitfam, hiit, gains, training, getfit, fitnesstips"
        ),
        brands=_words("ironfuel, flexgear.co, pureprotein, liftwear, kettlecore"),
        bios=(
            "Certified personal trainer 💪 {a}, {b} and no excuses",
            "Strength coach | home workouts that work | {a} lover",
            "From couch to 5k and beyond 🏃 training plans in my link",
            "Lifting heavy things daily 🏋️ {a} & {b}",
        ),
        captions=(
            "Leg day finisher: {a} into {b} 🔥 save this workout",
            "3 mistakes everyone makes with {a}",
            "Full body home workout: {a}, {b}, repeat 4 rounds 💪",
            "Progress update: 12 weeks of {a} and {b}",
            "How much protein do you really need? Plus my {a} tips",
            "Try this {a} circuit if the gym is packed",
            "Form check on {a} — keep your core tight!",
            "Rest day is part of training: {a} and stretching",
        ),
        comments=(
            "Doing this workout tomorrow 💪",
            "How many sets of {a}?",
            "Your form is perfect",
            "This leg day destroyed me 😅",
            "Best fitness account on here",
            "What's your protein per day?",
        ),
    ),
    Niche(
        key="cooking",
        iab_id="216",
        iab_name="Cooking",
        handle_words=_words("cooks, kitchen, recipes, chef, eats"),
        topics=_words(
            "homemade pasta, roast chicken, sourdough bread, garlic butter, risotto, "
            "one-pan dinner, beef stew, lemon cake, meal prep, pan sauce, salmon fillet, "
            "cast iron skillet, ragu, chocolate chip cookies, fried rice, weeknight dinner"
        ),
        hashtags=_words(
            "recipe, homecooking, foodie, dinnerideas, easyrecipes, cooking, foodblogger, "
            "comfortfood, homemade, mealprep, baking, recipeoftheday, yummy, kitchen"
        ),
        brands=_words("panandpot, spicecraft, flourhouse, chefknives.co, olivegold"),
        bios=(
            "Home cook sharing easy recipes 🍝 {a} is my love language",
            "Weeknight dinners in 30 minutes | {a} & {b}",
            "Recipe developer 👩‍🍳 cooking from scratch, recipes in link",
            "Feeding a hungry family one recipe at a time: {a}",
        ),
        captions=(
            "Easy {a} recipe you can make tonight 🍝",
            "Sunday cooking: {a} with {b}, recipe below",
            "The secret to perfect {a}? Patience and {b}",
            "30-minute {a} for busy weeknights",
            "My grandmother's {a} recipe, finally written down",
            "Meal prep for the week: {a}, {b} and more",
            "Restaurant-style {a} at home 👨‍🍳",
            "Baking day: {a} fresh out of the oven",
        ),
        comments=(
            "Making this recipe tonight!",
            "Can I swap the {a}?",
            "That looks delicious 🤤",
            "Made your {a} and my family loved it",
            "What temperature for the oven?",
            "Recipe please!",
        ),
    ),
    Niche(
        key="travel",
        iab_id="653",
        iab_name="Travel",
        handle_words=_words("travels, wander, nomad, trips, explore"),
        topics=_words(
            "Lisbon, Bali, Iceland road trip, Amalfi coast, Kyoto, hidden beaches, hostels, "
            "carry-on packing, cheap flights, Patagonia, island hopping, city break, "
            "backpacking Asia, Dolomites hike, travel itinerary, sunrise viewpoint"
        ),
        hashtags=_words(
            "travel, wanderlust, travelgram, traveltips, backpacking, roadtrip, explore, "
            "travelblogger, instatravel, solotravel, adventure, vacation, passportready"
        ),
        brands=_words("packlight.co, wanderbags, skyhop.travel, nomadstays, globetrek"),
        bios=(
            "Travel blogger ✈️ 40 countries and counting | {a} & {b}",
            "Budget travel tips 🌍 itineraries for {a}",
            "Solo female traveller | slow travel | next stop {a}",
            "Exploring the world one road trip at a time 🚐",
        ),
        captions=(
            "3 days in {a}: my full itinerary ✈️",
            "Hidden gems in {a} nobody tells you about",
            "How I packed for {a} with only a carry-on",
            "{a} vs {b}: which should you visit first?",
            "Sunrise in {a} was worth the 4am alarm 🌅",
            "Travel budget breakdown: 10 days in {a}",
            "Things I wish I knew before visiting {a}",
            "Road trip diary: {a} to {b}",
        ),
        comments=(
            "Adding {a} to my bucket list!",
            "How many days would you recommend?",
            "Wanderlust intensifies ✈️",
            "Where did you stay?",
            "I was there last summer, so beautiful",
            "Saving this itinerary",
        ),
    ),
    Niche(
        key="parenting",
        iab_id="192",
        iab_name="Parenting",
        handle_words=_words("mama, dad, family, momlife, littles"),
        topics=_words(
            "toddler tantrums, bedtime routine, baby-led weaning, potty training, "
            "sleep regression, school lunches, screen time, sibling rivalry, newborn, "
            "breastfeeding, family holidays, kids crafts, first day of school, mom guilt"
        ),
        hashtags=_words(
            "momlife, parenting, motherhood, toddlerlife, dadlife, familytime, newborn, "
            "parentingtips, momblogger, kidsactivities, babyboy, babygirl, raisingkids"
        ),
        brands=_words("tinysteps, snugglebaby, kidbox.co, littlelunch, sleepysprout"),
        bios=(
            "Mama of 3 👶 real talk about {a} and {b}",
            "Dad, husband, chaos coordinator | parenting without the perfect filter",
            "Gentle parenting tips | {a} | sleep consultant",
            "Raising little humans 🌈 family life, {a} & kids crafts",
        ),
        captions=(
            "Survived another day of {a} 😅 tips that helped us",
            "Our {a} in 5 simple steps",
            "Real talk about {a} and {b} as a new parent",
            "Easy kids activity for rainy days, no {a} required",
            "What nobody tells you about {a}",
            "Packing {a} for two picky eaters",
            "Family weekend: {a} and {b} 👨‍👩‍👧",
            "Mom guilt is real — let's talk about {a}",
        ),
        comments=(
            "We are going through {a} right now 😩",
            "Your kids are adorable",
            "Saving this for my toddler",
            "As a mom of two, this is so true",
            "How old was your baby?",
            "Thank you for being so honest about motherhood",
        ),
    ),
    Niche(
        key="pets",
        iab_id="422",
        iab_name="Pets",
        handle_words=_words("pup, paws, woof, meow, kitty"),
        topics=_words(
            "golden retriever, rescue dog, puppy training, cat toys, dog food, grooming, "
            "leash walking, kitten, vet visit, dog park, separation anxiety, litter box, "
            "treats, french bulldog, adoption day, agility"
        ),
        hashtags=_words(
            "dogsofinstagram, catsofinstagram, puppy, dog, cat, petlover, dogtraining, "
            "adoptdontshop, rescuedog, doglife, catlife, petsofinstagram, furbaby, woof"
        ),
        brands=_words("happytails, barkbites, purrfectbox, pawsupply, furfresh"),
        bios=(
            "Dog dad and cat whisperer 🐾 {a} and {b} tips",
            "Rescue dog mom | adopt don't shop | puppy training",
            "Two cats, one kitten, zero chill 🐱",
            "Certified dog trainer 🐶 {a}, {b} and good boys",
        ),
        captions=(
            "Our {a} discovered {b} today 🐶",
            "Puppy training tip: fixing {a} in a week",
            "Adoption day anniversary! This {a} changed my life 🐾",
            "Honest review of {a} my picky cat actually likes",
            "Dog park chaos with the {a} gang",
            "How we handle {a} with our rescue dog",
            "Grooming day: {a} and a lot of fur",
            "Kitten update: {a} and {b} 🐱",
        ),
        comments=(
            "What a good boy 🐶",
            "My {a} does the same thing!",
            "Cutest pup ever 😍",
            "Which dog food do you use?",
            "Give him a treat from me 🐾",
            "That kitten face!",
        ),
    ),
    Niche(
        key="fashion",
        iab_id="552",
        iab_name="Style & Fashion",
        handle_words=_words("style, outfits, wears, closet, chic"),
        topics=_words(
            "capsule wardrobe, trench coat, white sneakers, linen dress, denim jacket, "
            "thrifted finds, oversized blazer, fall outfits, street style, silk scarf, "
            "wide-leg trousers, styling tips, knitwear, ankle boots, outfit of the day"
        ),
        hashtags=_words(
            "ootd, fashion, outfitinspo, style, streetstyle, whatiwore, fashionblogger, "
            "outfitoftheday, capsulewardrobe, thrifted, styleinspo, lookbook, fashionista"
        ),
        brands=_words("atelierlin, threadandco, urbanloom, velvetlane, denimdistrict"),
        bios=(
            "Style diary 👗 {a}, {b} and everyday outfits",
            "Personal stylist | capsule wardrobe coach | outfit ideas daily",
            "Thrifting queen ♻️ sustainable fashion on a budget",
            "Fashion blogger | street style | {a} obsessed",
        ),
        captions=(
            "5 ways to style a {a} 👗",
            "Outfit of the day: {a} with {b}",
            "Building a capsule wardrobe around {a}",
            "Thrifted {a} for under 20, styled three ways",
            "Street style inspo: {a} and {b}",
            "Fall outfits ft. my favourite {a} 🍂",
            "Styling tips for petite frames: {a}",
            "What I wore this week: {a}, {b} and more",
        ),
        comments=(
            "Where is the {a} from?",
            "Obsessed with this outfit 😍",
            "Style icon!",
            "Need this whole look",
            "You always look so chic",
            "Link to the {a} please!",
        ),
    ),
    Niche(
        key="interior",
        iab_id="283",
        iab_name="Interior Decorating",
        handle_words=_words("home, nest, interiors, decor, casa"),
        topics=_words(
            "living room makeover, scandinavian decor, gallery wall, bedroom refresh, "
            "houseplants, paint colours, rental-friendly upgrades, vintage furniture, "
            "cozy reading nook, kitchen styling, boucle chair, lighting, shelf styling, "
            "japandi, IKEA hack, mood board"
        ),
        hashtags=_words(
            "interiordesign, homedecor, interior, homeinspo, livingroom, decor, cozyhome, "
            "scandinavianinterior, homestyling, ikeahack, myhome, interiorstyling, diyhome"
        ),
        brands=_words("nordnest, lampandloom, casacraft, woolandwood, plantpot.co"),
        bios=(
            "Interior stylist 🏡 {a} and {b} on a budget",
            "Turning our 1930s house into a home | DIY and decor",
            "Renter-friendly decor ideas 🪴 {a}",
            "Scandi minimalism & cozy corners | home tours",
        ),
        captions=(
            "Before and after: our {a} 🏡",
            "Rental-friendly idea: {a} without losing the deposit",
            "How to choose {a} for a small living room",
            "Cozy corner details: {a} and {b}",
            "The IKEA hack that changed our {a}",
            "Styling shelves with {a} in 4 steps",
            "Home tour: {a} meets {b}",
            "Mood board for the {a} project",
        ),
        comments=(
            "What paint colour is this?",
            "Your home is so cozy 😍",
            "Where is the {a} from?",
            "Interior goals!",
            "Love the {a}",
            "Doing this in my apartment",
        ),
    ),
    Niche(
        key="finance",
        iab_id="391",
        iab_name="Personal Finance",
        handle_words=_words("money, wealth, budget, invest, finance"),
        topics=_words(
            "index funds, emergency fund, budgeting, debt payoff, credit score, retirement, "
            "side hustle, compound interest, ETFs, high-yield savings, 50/30/20 rule, "
            "net worth, dividend investing, financial independence, no-spend month"
        ),
        hashtags=_words(
            "personalfinance, money, investing, budgeting, financialfreedom, debtfree, "
            "savingmoney, fire, moneytips, financialliteracy, wealth, stocks, frugal"
        ),
        brands=_words("coinwise, budgetbee, stackfunds, nestegg.app, cashcompass"),
        bios=(
            "Paid off 60k of debt 💸 now teaching {a} and {b}",
            "CFP | money tips for your 20s and 30s | {a}",
            "Financial independence journey 📈 {a} & frugal living",
            "Making personal finance less boring | budgeting templates in link",
        ),
        captions=(
            "How I built my {a} in 12 months 💸",
            "{a} vs {b}: what should you do first?",
            "The {a} explained in 60 seconds",
            "My monthly budgeting routine and {a}",
            "Stop ignoring your {a} — here is why",
            "Net worth update: {a} and {b} 📈",
            "Money mistakes in your 20s: skipping {a}",
            "A beginner's guide to {a}",
        ),
        comments=(
            "Just opened my first {a} account!",
            "Which broker do you use?",
            "This budgeting tip is gold",
            "Wish I learned this about money earlier",
            "How much should be in an emergency fund?",
            "Great breakdown of {a}",
        ),
    ),
    Niche(
        key="gaming",
        iab_id="680",
        iab_name="Video Gaming",
        handle_words=_words("gamer, plays, gg, pixel, respawn"),
        topics=_words(
            "Elden Ring, speedrun, boss fight, Minecraft build, ranked match, indie games, "
            "gaming setup, Zelda, retro consoles, Fortnite, patch notes, co-op, controller, "
            "Valorant clutch, Steam sale, RPG"
        ),
        hashtags=_words(
            "gaming, gamer, videogames, twitch, gamingsetup, pcgaming, ps5, xbox, "
            "nintendoswitch, streamer, esports, gamingcommunity, gameplay, indiegame"
        ),
        brands=_words("razorclick, pixelforge, gamefuel, questgear, lagfree.net"),
        bios=(
            "Variety streamer 🎮 {a}, {b} and bad jokes",
            "Speedrunner | retro games | live most nights on Twitch",
            "Gaming news, reviews and {a} guides",
            "Cozy gamer 🍄 indie games & {a}",
        ),
        captions=(
            "Finally beat the {a} after 40 tries 🎮",
            "My new {a}: full tour",
            "{a} tips nobody talks about",
            "Ranked grind with {a} and {b} tonight",
            "Is {a} worth it in 2026? Honest review",
            "Top 5 moments from {a} this week",
            "Clutch or kick: {a} edition",
            "Retro Sunday: {a} and {b}",
        ),
        comments=(
            "GG that was insane",
            "What's your {a} loadout?",
            "That boss fight was brutal 😂",
            "Drop the gaming setup specs!",
            "Clip of the year",
            "Stream again tonight?",
        ),
    ),
    Niche(
        key="vegan",
        iab_id="212",
        iab_name="Vegan Diets",
        handle_words=_words("vegan, plantbased, veggie, greens, plants"),
        topics=_words(
            "tofu scramble, vegan protein, chickpea curry, plant-based milk, lentil bolognese, "
            "dairy-free cheese, tempeh, vegan baking, seitan, cashew cream, vegan brunch, "
            "B12, plant-based meal prep, aquafaba, jackfruit tacos, oat milk latte"
        ),
        hashtags=_words(
            "vegan, plantbased, veganfood, veganrecipes, whatveganseat, dairyfree, "
            "crueltyfree, vegancommunity, plantpower, govegan, veganfoodshare, meatfree"
        ),
        brands=_words("oatandco, plantprotein.co, greenbowl, tofutown, veganvault"),
        bios=(
            "Vegan for 8 years 🌱 {a} and {b} recipes",
            "Plant-based dietitian | vegan protein made easy",
            "Easy vegan recipes for busy people 🌿 {a}",
            "Cruelty-free kitchen | dairy-free baking | {a}",
        ),
        captions=(
            "Vegan {a} that even meat eaters love 🌱",
            "High-protein plant-based day: {a} and {b}",
            "Dairy-free {a} in 15 minutes",
            "What I eat in a day as a vegan: {a}",
            "Plant-based swap: {a} instead of {b}",
            "Vegan meal prep with {a} 🌿",
            "Where do vegans get protein? {a}, {b} and more",
            "Cruelty-free comfort food: {a}",
        ),
        comments=(
            "Making this vegan recipe tonight 🌱",
            "Where do you buy {a}?",
            "Plant-based food never looked better",
            "Is this gluten-free too?",
            "Finally a vegan {a} that works",
            "Love your recipes!",
        ),
    ),
)

NICHE_BY_KEY = {n.key: n for n in NICHES}


def niche_by_iab(iab_id: str) -> Niche:
    """The demo niche with this IAB id."""
    for niche in NICHES:
        if niche.iab_id == iab_id:
            return niche
    raise KeyError(iab_id)


__all__ = ["NICHES", "NICHE_BY_KEY", "Niche", "niche_by_iab"]

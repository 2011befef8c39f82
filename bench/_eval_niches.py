"""The evaluation world's niches: IAB Content Taxonomy 3.1 nodes the demo never uses, 4 languages.

None of these nodes is a demo niche (skin care, fitness, cooking, travel, parenting, pets, fashion,
interior decorating, personal finance, video gaming, vegan diets), and none of the words is the
demo's. Several sit under a demo node's branch on purpose (running under fitness, aquariums under
pets, camping under travel, baking and coffee beside cooking): the exact IAB id tells a labeller
that generalises from one that only remembers the demo.

Per niche and language: ``topics`` fill the caption, bio and comment templates' ``{a}`` and
``{b}``; ``captions``, ``bios`` and ``comments`` are the niche's own sentences. Each niche has two
briefs in plain English that use none of the niche's words in any language (checked by
``_eval_vocab.shared_words`` in the unit test): a search that only matches words finds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from _eval_vocab import LANGUAGE_CODES, _w


@dataclass(frozen=True)
class Words:
    """One niche in one language."""

    topics: tuple[str, ...]
    captions: tuple[str, ...]
    bios: tuple[str, ...]
    comments: tuple[str, ...]


@dataclass(frozen=True)
class EvalNiche:
    """A niche of the evaluation world: its IAB node, its briefs and its words per language."""

    key: str
    iab_id: str
    iab_name: str
    tier1_id: str
    handle_words: tuple[str, ...]
    hashtags: tuple[str, ...]
    briefs: tuple[str, str]
    words: Mapping[str, Words]

    def __post_init__(self) -> None:
        if set(self.words) != set(LANGUAGE_CODES):
            raise ValueError(f"{self.key}: words for {sorted(self.words)}, not {LANGUAGE_CODES}")

    def texts(self) -> list[str]:
        """Everything a creator of this niche may write about it, in every language."""
        out = [*self.handle_words, *self.hashtags]
        for w in self.words.values():
            out += [*w.topics, *w.captions, *w.bios]
        return out


def _by_language(
    *rows: tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]],
) -> Mapping[str, Words]:
    """Rows in LANGUAGE_CODES order: (topics as one string, captions, bios, comments)."""
    return MappingProxyType(
        {
            code: Words(_w(topics), captions, bios, comments)
            for code, (topics, captions, bios, comments) in zip(LANGUAGE_CODES, rows, strict=True)
        }
    )


NICHES: tuple[EvalNiche, ...] = (
    EvalNiche(
        "gardening",
        "275",
        "Gardening",
        "274",
        _w("allotment, sprout, soil, seedling, mulch"),
        _w(
            "gardening, growyourown, allotment, raisedbeds, compost, huerto, hochbeet, potager, "
            "seedstarting, gartenliebe"
        ),
        (
            "organic fertiliser and hand tools for backyard vegetable patches",
            "a watering can company for people who love greenery on their balcony",
        ),
        _by_language(
            (
                "tomato seedlings, raised beds, compost heap, heirloom squash, seed trays, "
                "runner beans, courgettes, allotment harvest, slug patrol, rhubarb crowns",
                ("Sowing day: {a} and {b} 🌱", "First harvest from the {a} this year"),
                ("Allotment diaries 🌱 {a}, {b} and muddy boots", "Soil nerd, {a} every season"),
                ("How deep do you sow the {a}?", "My {a} never look this good"),
            ),
            (
                "plantones de tomate, bancales elevados, compostera, calabacines, semilleros, "
                "acolchado, judías verdes, huerto urbano, cosecha de fresas, lombricompost",
                ("Día de siembra: {a} y {b} 🌱", "Primera cosecha del {a} este año"),
                ("Diario de mi huerto 🌱 {a} y {b}", "Tierra, semillas y {a}"),
                ("¿Cuándo siembras los {a}?", "Qué envidia de {a}"),
            ),
            (
                "Tomatensetzlinge, Hochbeet, Komposthaufen, Zucchini, Anzuchtschalen, Mulch, "
                "Stangenbohnen, Schrebergarten, Erdbeerernte, Wurmkiste",
                ("Aussaattag: {a} und {b} 🌱", "Die erste Ernte aus dem {a}"),
                ("Schrebergarten-Tagebuch 🌱 {a} und {b}", "Erde unter den Nägeln, {a}"),
                ("Wann säst du {a}?", "Dein {a} sieht toll aus"),
            ),
            (
                "semis de tomates, carrés potagers, tas de compost, courgettes, paillage, "
                "haricots grimpants, jardin partagé, récolte de fraises, lombricomposteur, godets",
                ("Jour de semis : {a} et {b} 🌱", "Première récolte du {a} cette année"),
                ("Carnet de potager 🌱 {a} et {b}", "Les mains dans la terre, {a}"),
                ("Tu sèmes quand les {a} ?", "Magnifique {a} !"),
            ),
        ),
    ),
    EvalNiche(
        "baking",
        "217",
        "Desserts and Baking",
        "210",
        _w("crumb, proof, knead, whisk, laminate"),
        _w(
            "baking, sourdough, bakersofinstagram, patisserie, croissant, backen, reposteria, "
            "masamadre, laminateddough, boulangerie"
        ),
        (
            "stand mixers and cake tins for home dessert makers",
            "sweet treats from the oven for cosy family teatime",
        ),
        _by_language(
            (
                "sourdough starter, croissant lamination, cinnamon rolls, lemon tart, brioche, "
                "choux buns, ganache, victoria sponge, focaccia, macarons, proofing basket",
                ("Bake day: {a} and {b} 🥐", "My {a} finally has the right crumb"),
                ("Weekend baker 🥐 {a}, {b} and too much sugar", "Laminated dough obsessive, {a}"),
                ("Recipe for the {a} please!", "That {a} looks perfect"),
            ),
            (
                "masa madre, cruasanes, rollos de canela, tarta de limón, brioche, profiteroles, "
                "ganache, bizcocho, focaccia, macarons, roscón",
                ("Día de horno: {a} y {b} 🥐", "Por fin mi {a} tiene buena miga"),
                ("Repostera de fin de semana 🥐 {a} y {b}", "Harina, azúcar y {a}"),
                ("¡Receta del {a} por favor!", "Ese {a} está perfecto"),
            ),
            (
                "Sauerteig, Croissants, Zimtschnecken, Zitronentarte, Brioche, Windbeutel, "
                "Ganache, Biskuitboden, Focaccia, Macarons, Hefezopf",
                ("Backtag: {a} und {b} 🥐", "Endlich hat mein {a} die richtige Krume"),
                ("Hobbybäckerin 🥐 {a} und {b}", "Mehl, Zucker und {a}"),
                ("Rezept für {a} bitte!", "Der {a} sieht perfekt aus"),
            ),
            (
                "levain, croissants, brioche, tarte au citron, choux, ganache, roulés à la "
                "cannelle, génoise, fougasse, macarons, pâte feuilletée",
                ("Jour de fournée : {a} et {b} 🥐", "Enfin une belle mie pour mon {a}"),
                ("Pâtissière du dimanche 🥐 {a} et {b}", "Farine, sucre et {a}"),
                ("La recette du {a} stp !", "Ce {a} est parfait"),
            ),
        ),
    ),
    EvalNiche(
        "birdwatching",
        "259",
        "Birdwatching",
        "239",
        _w("twitcher, plumage, heron, wren, owl"),
        _w(
            "twitching, ornithology, kingfisher, owl, heron, vogelbeobachtung, ornitho, aves, "
            "plumage, migration"
        ),
        (
            "binoculars and field guides for spotting wild birds",
            "a nature holiday company for people who enjoy quiet lakes",
        ),
        _by_language(
            (
                "kingfisher, grey heron, barn owl, reed warbler, spring migration, red kite, "
                "estuary waders, nest boxes, goldfinch, dawn chorus",
                ("Finally saw a {a} from the hide 🪶", "Tally for today: {a}, {b} and a surprise"),
                ("Twitcher 🪶 chasing {a} and {b}", "Counting wings since 2015, {a}"),
                ("Where did you find the {a}?", "What a {a}!"),
            ),
            (
                "martín pescador, garza real, lechuza, carricero, migración de primavera, "
                "milano real, limícolas, cajas nido, jilguero, canto del alba",
                (
                    "¡Por fin un {a} desde el observatorio! 🪶",
                    "Lista de hoy: {a}, {b} y una sorpresa",
                ),
                ("Pajarera 🪶 buscando {a} y {b}", "Anillamiento, {a} y {b}"),
                ("¿Dónde viste el {a}?", "¡Qué {a} tan bonito!"),
            ),
            (
                "Eisvogel, Graureiher, Schleiereule, Teichrohrsänger, Frühjahrszug, Rotmilan, "
                "Watvögel, Nistkästen, Stieglitz, Vogelstimmen",
                ("Endlich ein {a} vom Beobachtungsturm 🪶", "Heute gezählt: {a}, {b} und mehr"),
                ("Vogelkiekerin 🪶 auf der Suche nach {a} und {b}", "Ornithologie, {a}"),
                ("Wo hast du den {a} gesehen?", "Was für ein {a}!"),
            ),
            (
                "martin-pêcheur, héron cendré, chouette effraie, rousserolle, migration "
                "printanière, milan royal, limicoles, nichoirs, chardonneret, chant de l'aube",
                ("Enfin un {a} depuis l'affût 🪶", "Bilan du jour : {a}, {b} et une surprise"),
                ("Ornitho du dimanche 🪶 {a} et {b}", "Toujours à l'affût du {a}"),
                ("Tu as vu le {a} où ?", "Quel {a} !"),
            ),
        ),
    ),
    EvalNiche(
        "chess",
        "270",
        "Board Games and Puzzles",
        "239",
        _w("chess, gambit, rook, pawn, knight"),
        _w("chess, ajedrez, schach, echecs, chesstok, blitz, checkmate, grandmaster, gambit, fide"),
        (
            "a strategy game club looking for thoughtful players who like puzzles",
            "wooden boards and clocks for competitive tabletop thinkers",
        ),
        _by_language(
            (
                "Sicilian defence, Queen's gambit, rook endgame, blitz, pawn structure, "
                "checkmate patterns, opening prep, Elo rating, knight fork, Caro-Kann",
                ("Today's lesson: {a} and {b} ♟️", "Lost on time in a {a}, again"),
                ("Chess coach ♟️ {a}, {b} and lots of coffee", "FIDE-rated, streaming {a}"),
                ("Great {a} explanation", "I always mess up the {a}"),
            ),
            (
                "defensa siciliana, gambito de dama, final de torres, partidas relámpago, "
                "estructura de peones, jaque mate, preparación de aperturas, horquilla de caballo",
                ("Lección de hoy: {a} y {b} ♟️", "Perdí por tiempo en {a}, otra vez"),
                ("Ajedrecista ♟️ {a} y {b}", "Monitor de ajedrez, {a}"),
                ("Qué buena explicación de la {a}", "Siempre fallo en el {a}"),
            ),
            (
                "Sizilianisch, Damengambit, Turmendspiel, Blitzpartien, Bauernstruktur, "
                "Mattbilder, Eröffnungsvorbereitung, Springergabel, Simultan, Open-Turnier",
                ("Heutige Lektion: {a} und {b} ♟️", "Wieder auf Zeit verloren im {a}"),
                ("Schachtrainer ♟️ {a} und {b}", "Vereinsspieler, {a}"),
                ("Super erklärt, das {a}", "Ich verhaue immer das {a}"),
            ),
            (
                "défense sicilienne, gambit dame, finale de tours, parties blitz, structure de "
                "pions, échec et mat, préparation d'ouvertures, fourchette de cavalier, simultanée",
                ("Leçon du jour : {a} et {b} ♟️", "Encore perdu au temps en {a}"),
                ("Joueuse d'échecs ♟️ {a} et {b}", "Coach échecs, {a}"),
                ("Super explication de la {a}", "Je rate toujours la {a}"),
            ),
        ),
    ),
    EvalNiche(
        "woodworking",
        "257",
        "Woodworking",
        "239",
        _w("joiner, chisel, lathe, oak, dovetail"),
        _w(
            "woodworking, joinery, woodshop, dovetail, spooncarving, holzwerken, ebanisteria, "
            "menuiserie, woodturning, finewoodworking"
        ),
        (
            "power saws and workbench gear for people who build furniture",
            "hand-made timber projects and carpentry supplies for hobbyists",
        ),
        _by_language(
            (
                "dovetail joints, mortise and tenon, chisels, block plane, walnut slab, oak "
                "offcuts, lathe, spoon carving, glue-up, router table, danish oil",
                ("Shop day: {a} and {b} 🪵", "Finally cut clean {a} by eye"),
                ("Woodworker 🪵 {a}, {b} and sawdust", "Weekend joiner, {a}"),
                ("Those {a} are so crisp", "What finish on the {a}?"),
            ),
            (
                "colas de milano, caja y espiga, formones, cepillo de banco, tablón de nogal, "
                "recortes de roble, torno, talla de cucharas, encolado, fresadora, aceite danés",
                ("Día de taller: {a} y {b} 🪵", "Por fin {a} limpias a ojo"),
                ("Ebanista 🪵 {a} y {b}", "Serrín y {a}"),
                ("Qué {a} tan limpias", "¿Qué acabado llevan los {a}?"),
            ),
            (
                "Schwalbenschwänze, Schlitz und Zapfen, Stechbeitel, Blockhobel, Nussbaumplatte, "
                "Eichenreste, Drechselbank, Löffelschnitzen, Verleimung, Oberfräse, Hartwachsöl",
                ("Werkstatttag: {a} und {b} 🪵", "Endlich saubere {a} ohne Maschine"),
                ("Tischlerin 🪵 {a} und {b}", "Sägespäne und {a}"),
                ("Die {a} sind so sauber", "Welche Oberfläche beim {a}?"),
            ),
            (
                "queues d'aronde, tenons et mortaises, ciseaux à bois, rabot, plateau de noyer, "
                "chutes de chêne, tour à bois, sculpture de cuillères, défonceuse, huile danoise",
                ("Journée atelier : {a} et {b} 🪵", "Enfin des {a} bien nettes"),
                ("Ébéniste 🪵 {a} et {b}", "Copeaux et {a}"),
                ("Ces {a} sont superbes", "Quelle finition pour les {a} ?"),
            ),
        ),
    ),
    EvalNiche(
        "aquariums",
        "426",
        "Fish and Aquariums",
        "422",
        _w("betta, tetra, aqua, scape, guppy"),
        _w(
            "aquascape, aquarium, betta, aquascaping, acuario, aquaristik, aquariophilie, "
            "cichlids, guppy, shrimp"
        ),
        (
            "filters and water conditioners for home fish tanks",
            "an underwater plant shop for people who keep tropical pets",
        ),
        _by_language(
            (
                "betta, neon tetras, guppies, cherry shrimp, cichlids, discus, aquascape, "
                "nitrogen cycle, driftwood, java moss, nano cube, co2 diffuser",
                ("Weekly maintenance: {a} and {b} 🐠", "Cycling a new {a} the patient way"),
                ("Aquascaper 🐠 {a}, {b} and patience", "Nano aquariums, {a} lover"),
                ("What substrate under the {a}?", "Your {a} look so healthy"),
            ),
            (
                "betta, tetras neón, guppys, gambas cherry, cíclidos, discos, aquascaping, "
                "ciclo del nitrógeno, raíces, musgo de java, nano acuario, difusor de co2",
                ("Mantenimiento semanal: {a} y {b} 🐠", "Los {a} ya se han adaptado"),
                ("Acuarista 🐠 {a} y {b}", "Acuarios nano, {a}"),
                ("¿Qué sustrato usas con los {a}?", "Qué sanos se ven tus {a}"),
            ),
            (
                "Kampffisch, Neonsalmler, Guppys, Garnelen, Buntbarsche, Diskus, Aquascape, "
                "Stickstoffkreislauf, Moorkienholz, Javamoos, Nano-Becken, CO2-Anlage",
                ("Wöchentliche Pflege: {a} und {b} 🐠", "Die {a} haben sich eingewöhnt"),
                ("Aquarianerin 🐠 {a} und {b}", "Nano-Aquarien, {a}"),
                ("Welcher Bodengrund bei den {a}?", "Deine {a} sehen so gesund aus"),
            ),
            (
                "betta, néons, guppys, crevettes, cichlidés, discus, aquascaping, cycle de "
                "l'azote, racines, mousse de java, nano bac, diffuseur co2",
                ("Entretien de la semaine : {a} et {b} 🐠", "Les {a} sont enfin acclimatés"),
                ("Aquariophile 🐠 {a} et {b}", "Nano bacs, {a}"),
                ("Quel substrat pour les {a} ?", "Tes {a} ont l'air en forme"),
            ),
        ),
    ),
    EvalNiche(
        "running",
        "227",
        "Running and Jogging",
        "223",
        _w("runner, pace, stride, miles, tempo"),
        _w(
            "running, parkrun, runnersofinstagram, laufen, correr, courseapied, trailrunning, "
            "strava, runhappy, pb"
        ),
        (
            "lightweight trainers for people getting ready for their first marathon",
            "sports watches and hydration packs for long-distance joggers",
        ),
        _by_language(
            (
                "parkrun, tempo run, interval session, negative split, trail loop, personal "
                "best, easy miles, hill repeats, race bib, taper week, strides",
                ("Sunrise {a} done ✅ then {b}", "New {a} today!!"),
                ("Runner 🏃‍♀️ {a}, {b} and early alarms", "Chasing a sub-20 5k, {a}"),
                ("What pace for the {a}?", "Congrats on the {a}!"),
            ),
            (
                "parkrun, rodaje a ritmo, series, split negativo, trail, marca personal, "
                "kilómetros suaves, cuestas, dorsal, semana de descarga, progresivos",
                ("{a} de esta mañana ✅ y luego {b}", "¡Nueva {a} hoy!"),
                ("Corredora 🏃‍♀️ {a} y {b}", "Persiguiendo un 10k en 45, {a}"),
                ("¿A qué ritmo las {a}?", "¡Enhorabuena por la {a}!"),
            ),
            (
                "Parkrun, Tempolauf, Intervalle, negativer Split, Trailrunde, persönliche "
                "Bestzeit, lockere Kilometer, Bergsprints, Startnummer, Steigerungsläufe",
                ("{a} heute früh ✅ danach {b}", "Neue {a} heute!!"),
                ("Läuferin 🏃‍♀️ {a} und {b}", "Sub-45 auf 10 km, {a}"),
                ("Welches Tempo bei den {a}?", "Glückwunsch zur {a}!"),
            ),
            (
                "parkrun, sortie tempo, fractionné, split négatif, boucle trail, record "
                "personnel, footing facile, côtes, dossard, affûtage, lignes droites",
                ("{a} ce matin ✅ puis {b}", "Nouveau {a} aujourd'hui !!"),
                ("Coureuse 🏃‍♀️ {a} et {b}", "Objectif 10 km en 45, {a}"),
                ("Quelle allure pour le {a} ?", "Bravo pour le {a} !"),
            ),
        ),
    ),
    EvalNiche(
        "cycling",
        "492",
        "Cycling",
        "483",
        _w("velo, cadence, gravel, spoke, climb"),
        _w(
            "cycling, gravel, peloton, radsport, ciclismo, cyclisme, strava, cyclinglife, velo, "
            "sportive"
        ),
        (
            "carbon road bikes and helmets for amateur riders",
            "gear for people who commute on two wheels and ride up mountains",
        ),
        _by_language(
            (
                "gravel loop, sportive, saddle height, crit race, derailleur, FTP test, alpine "
                "col, cassette, chain wax, group spin, descent, power meter",
                ("Today's {a}: 90 km and one {b} 🚴", "Dialled in my {a} at last"),
                ("Cyclist 🚴 {a}, {b} and coffee stops", "Gravel and club spins, {a}"),
                ("What {a} are you running?", "Brutal {a}, well done"),
            ),
            (
                "ruta de gravel, marcha cicloturista, altura del sillín, criterium, cambio "
                "trasero, test de ftp, puerto de montaña, casete, cera de cadena, grupeta, "
                "descenso",
                ("{a} de hoy: 90 km y un {b} 🚴", "Por fin ajusté la {a}"),
                ("Ciclista 🚴 {a} y {b}", "Gravel y grupeta, {a}"),
                ("¿Qué {a} llevas?", "Vaya {a}, enhorabuena"),
            ),
            (
                "Gravelrunde, Radmarathon, Sattelhöhe, Kriterium, Schaltwerk, FTP-Test, "
                "Alpenpass, Kassette, Kettenwachs, Gruppenausfahrt, Abfahrt, Wattmessung",
                ("Heutige {a}: 90 km und ein {b} 🚴", "Endlich die {a} eingestellt"),
                ("Radsportlerin 🚴 {a} und {b}", "Gravel und Vereinsausfahrten, {a}"),
                ("Welche {a} fährst du?", "Starke {a}, Respekt"),
            ),
            (
                "sortie gravel, cyclosportive, hauteur de selle, critérium, dérailleur, test "
                "ftp, col alpin, cassette, cire de chaîne, sortie en groupe, descente",
                ("{a} du jour : 90 km et un {b} 🚴", "Enfin réglé la {a}"),
                ("Cycliste 🚴 {a} et {b}", "Gravel et sorties club, {a}"),
                ("Tu roules avec quelle {a} ?", "Belle {a}, bravo"),
            ),
        ),
    ),
    EvalNiche(
        "astronomy",
        "472",
        "Space and Astronomy",
        "464",
        _w("nebula, orbit, astro, comet, lunar"),
        _w(
            "astrophotography, astronomy, nebula, milkyway, astro, astronomie, astrofotografie, "
            "astrofotografia, jupiter, saturn"
        ),
        (
            "telescopes for families who want to look at the night sky",
            "star maps and dark-sky trips for stargazing beginners",
        ),
        _by_language(
            (
                "Orion nebula, Andromeda galaxy, Saturn's rings, Jupiter's moons, meteor shower, "
                "eyepiece, light pollution, dobsonian, tracking mount, lunar craters",
                ("Last {a} session: {b} through the clouds 🔭", "Stacked 300 frames of the {a}"),
                ("Astrophotographer 🔭 {a}, {b} and cold hands", "Amateur astronomer, {a}"),
                ("What exposure for the {a}?", "The {a} is unreal"),
            ),
            (
                "nebulosa de orión, galaxia de andrómeda, anillos de saturno, lunas de júpiter, "
                "lluvia de meteoros, ocular, contaminación lumínica, dobson, montura ecuatorial",
                ("Última sesión de {a}: {b} entre nubes 🔭", "Apilé 300 tomas de la {a}"),
                ("Astrofotógrafa 🔭 {a} y {b}", "Astrónomo aficionado, {a}"),
                ("¿Qué exposición para la {a}?", "La {a} es increíble"),
            ),
            (
                "Orionnebel, Andromedagalaxie, Saturnringe, Jupitermonde, Meteorschauer, Okular, "
                "Lichtverschmutzung, Dobson, Nachführung, Mondkrater, Milchstraße",
                ("Letzte {a}-Session: {b} zwischen Wolken 🔭", "300 Bilder vom {a} gestackt"),
                ("Astrofotografin 🔭 {a} und {b}", "Hobbyastronom, {a}"),
                ("Welche Belichtung für den {a}?", "Der {a} ist unglaublich"),
            ),
            (
                "nébuleuse d'orion, galaxie d'andromède, anneaux de saturne, lunes de jupiter, "
                "pluie de météores, oculaire, pollution lumineuse, dobson, monture équatoriale",
                ("Dernière session {a} : {b} entre les nuages 🔭", "300 poses empilées de la {a}"),
                ("Astrophotographe 🔭 {a} et {b}", "Astronome amateur, {a}"),
                ("Quelle pose pour la {a} ?", "La {a} est folle"),
            ),
        ),
    ),
    EvalNiche(
        "motorcycles",
        "27",
        "Motorcycles",
        "1",
        _w("moto, throttle, piston, racer, garage"),
        _w(
            "motorcycle, caferacer, scrambler, motolife, motorrad, moto, motera, motarde, "
            "trackday, superbike"
        ),
        (
            "leather jackets and helmets for bikers",
            "touring luggage and tyres for two-wheel road trips",
        ),
        _by_language(
            (
                "café racer, scrambler build, track day, carburettor rebuild, twisties, exhaust "
                "swap, lean angle, chain tension, superbike, sidecar, knee down",
                ("Sunday {a} and a proper {b} 🏍️", "Garage night: {a} finally done"),
                ("Moto nerd 🏍️ {a}, {b} and oily fingers", "Petrolhead, {a}"),
                ("Sound of that {a} 🔥", "Which {a} is that?"),
            ),
            (
                "café racer, scrambler, tandas en circuito, carburador, curvas de puerto, "
                "escape, ángulo de inclinación, tensión de cadena, superbike, sidecar",
                ("{a} de domingo y un buen {b} 🏍️", "Noche de garaje: por fin el {a}"),
                ("Motera 🏍️ {a} y {b}", "Gasolina en las venas, {a}"),
                ("Cómo suena ese {a} 🔥", "¿Qué {a} es?"),
            ),
            (
                "Café Racer, Scrambler-Umbau, Renntraining, Vergaserüberholung, Kurvenstrecke, "
                "Auspuffwechsel, Schräglage, Kettenspannung, Superbike, Seitenwagen, Gasgriff",
                ("{a} am Sonntag und ein richtiger {b} 🏍️", "Garagenabend: {a} endlich fertig"),
                ("Motorradfahrerin 🏍️ {a} und {b}", "Benzin im Blut, {a}"),
                ("Der Sound vom {a} 🔥", "Welcher {a} ist das?"),
            ),
            (
                "café racer, scrambler, journée circuit, réfection du carburateur, virolos, "
                "échappement, angle d'inclinaison, tension de chaîne, superbike, side-car",
                ("{a} du dimanche et un vrai {b} 🏍️", "Soirée garage : {a} enfin terminé"),
                ("Motarde 🏍️ {a} et {b}", "De l'essence dans les veines, {a}"),
                ("Le son de ce {a} 🔥", "C'est quel {a} ?"),
            ),
        ),
    ),
    EvalNiche(
        "guitar",
        "243",
        "Musical Instruments",
        "239",
        _w("riff, fret, chord, capo, tone"),
        _w(
            "guitar, guitarist, fingerstyle, guitarra, gitarre, guitare, riff, fender, gibson, "
            "guitarcover"
        ),
        (
            "acoustic instruments and strings for people learning to play songs",
            "amplifiers and effects pedals for bedroom musicians",
        ),
        _by_language(
            (
                "fingerstyle, barre chords, pentatonic scale, blues riff, fretboard, capo, "
                "humbucker tone, overdrive, open tuning, vibrato, travis picking, slide guitar",
                ("Tuesday {a} practice 🎸 plus some {b}", "Cover time: {a} in drop D"),
                ("Guitar teacher 🎸 {a}, {b} and sore fingertips", "Self-taught, {a} every day"),
                ("Tab for the {a}?", "That {a} is so clean"),
            ),
            (
                "fingerstyle, acordes con cejilla, escala pentatónica, riff de blues, diapasón, "
                "capo, pastilla humbucker, overdrive, afinación abierta, vibrato, punteo",
                ("Práctica de {a} del martes 🎸 y algo de {b}", "Versión con {a} en drop D"),
                ("Profe de guitarra 🎸 {a} y {b}", "Autodidacta, {a} cada día"),
                ("¿Tienes la tablatura del {a}?", "Qué limpio ese {a}"),
            ),
            (
                "Fingerstyle, Barrégriffe, Pentatonik, Blues-Riff, Griffbrett, Kapodaster, "
                "Humbucker-Sound, Overdrive, offene Stimmung, Vibrato, Zupfmuster, Slide-Gitarre",
                ("Dienstags-Übung: {a} 🎸 und etwas {b}", "Cover: {a} in Drop D"),
                ("Gitarrenlehrerin 🎸 {a} und {b}", "Autodidakt, jeden Tag {a}"),
                ("Tabs für das {a}?", "Das {a} klingt so sauber"),
            ),
            (
                "fingerstyle, accords barrés, gamme pentatonique, riff blues, manche, "
                "capodastre, micro humbucker, overdrive, accordage ouvert, vibrato, arpèges",
                ("Entraînement du mardi : {a} 🎸 et un peu de {b}", "Reprise en {a}, drop D"),
                ("Prof de guitare 🎸 {a} et {b}", "Autodidacte, {a} tous les jours"),
                ("La tablature du {a} ?", "Ce {a} est tellement propre"),
            ),
        ),
    ),
    EvalNiche(
        "climbing",
        "500",
        "Climbing",
        "483",
        _w("crimp, crag, boulder, belay, send"),
        _w(
            "climbing, bouldering, escalada, klettern, escalade, crag, sendit, boulder, "
            "hangboard, rockclimbing"
        ),
        (
            "chalk bags and harnesses for indoor wall enthusiasts",
            "rope and shoes for people scaling cliffs outdoors",
        ),
        _by_language(
            (
                "bouldering, crimps, slab, overhang, belay, crag, sport route, trad lead, "
                "hangboard, dyno, heel hook, flash attempt",
                ("Finally sent my {a} 🧗 after a week on the {b}", "Beta for the {a}: trust feet"),
                ("Climber 🧗 {a}, {b} and torn skin", "Route setter, {a}"),
                ("That {a} looks brutal", "What grade is the {a}?"),
            ),
            (
                "búlder, regletas, placa, desplome, aseguramiento, sector de escalada, vía "
                "deportiva, clásica, tabla multipresa, lance, talonaje, a vista",
                ("Por fin encadené mi {a} 🧗 tras una semana en el {b}", "Beta del {a}"),
                ("Escaladora 🧗 {a} y {b}", "Equipadora de vías, {a}"),
                ("Ese {a} tiene pinta de duro", "¿Qué grado tiene el {a}?"),
            ),
            (
                "Bouldern, Leisten, Platte, Überhang, Sichern, Klettergebiet, Sportkletterroute, "
                "Fingerboard, Dynamo, Heelhook, Flash-Versuch",
                ("Endlich mein {a} geschafft 🧗 nach einer Woche am {b}", "Beta für den {a}"),
                ("Kletterin 🧗 {a} und {b}", "Routenschrauber, {a}"),
                ("Der {a} sieht brutal aus", "Welcher Grad ist der {a}?"),
            ),
            (
                "bloc, réglettes, dalle, dévers, assurage, falaise, voie sportive, terrain "
                "d'aventure, poutre, jeté, crochet de talon, flash",
                ("Enfin enchaîné mon {a} 🧗 après une semaine sur la {b}", "La méthode du {a}"),
                ("Grimpeuse 🧗 {a} et {b}", "Ouvreur, {a}"),
                ("Ce {a} a l'air dur", "C'est coté combien le {a} ?"),
            ),
        ),
    ),
    EvalNiche(
        "coffee",
        "222",
        "Non-Alcoholic Beverages",
        "210",
        _w("barista, crema, roast, latte, pour"),
        _w(
            "coffee, espresso, latteart, specialtycoffee, v60, pourover, kaffee, cafe, "
            "cafedeespecialidad, baristalife"
        ),
        (
            "a bean subscription for people who brew at home every morning",
            "grinders and kettles for caffeine lovers",
        ),
        _by_language(
            (
                "espresso shot, pour-over, V60, latte art, crema, single origin, light roast, "
                "Aeropress, cortado, flat white, tasting notes, extraction time",
                ("Today's cup: {a} with {b} ☕", "Dialling in the {a} again"),
                ("Barista ☕ {a}, {b} and latte hearts", "Specialty cafés, {a}"),
                ("What ratio for the {a}?", "That {a} is gorgeous"),
            ),
            (
                "espresso, v60, arte latte, crema, origen único, tueste claro, aeropress, "
                "cortado, flat white, notas de cata, tiempo de extracción, chemex",
                ("La taza de hoy: {a} con {b} ☕", "Ajustando el {a} otra vez"),
                ("Barista ☕ {a} y {b}", "Cafeterías de especialidad, {a}"),
                ("¿Qué ratio para el {a}?", "Qué bonito ese {a}"),
            ),
            (
                "Espresso, Handfilter, V60, Latte Art, Crema, Single Origin, helle Röstung, "
                "Aeropress, Cortado, Flat White, Aromanoten, Extraktionszeit",
                ("Heute in der Tasse: {a} mit {b} ☕", "Den {a} wieder neu eingestellt"),
                ("Barista ☕ {a} und {b}", "Specialty Cafés, {a}"),
                ("Welches Verhältnis beim {a}?", "Wunderschöner {a}"),
            ),
            (
                "espresso, filtre v60, latte art, crema, origine unique, torréfaction claire, "
                "aeropress, cortado, flat white, notes de dégustation, temps d'extraction",
                ("La tasse du jour : {a} avec {b} ☕", "Je règle encore le {a}"),
                ("Barista ☕ {a} et {b}", "Cafés de spécialité, {a}"),
                ("Quel ratio pour le {a} ?", "Magnifique {a}"),
            ),
        ),
    ),
    EvalNiche(
        "camping",
        "677",
        "Camping",
        "653",
        _w("camper, bivvy, tarp, ember, pitch"),
        _w(
            "camping, bivouac, campfire, glamping, campinglife, acampada, zelten, wildcamping, "
            "overlanding, campsite"
        ),
        (
            "tents and sleeping bags for families heading outdoors",
            "a caravan rental for people who spend nights under canvas in the woods",
        ),
        _by_language(
            (
                "lakeside pitch, bivvy, campfire, tarp setup, camp stove, hammock, dutch oven "
                "stew, headtorch, forest clearing, glamping, packing list",
                ("Two days at a {a} with just a {b} ⛺", "My {a} checklist before every trip"),
                ("Camper ⛺ {a}, {b} and smoky jumpers", "Weekends by the fire, {a}"),
                ("Where is that {a}?", "Need that {a} in my life"),
            ),
            (
                "parcela junto al lago, vivac, hoguera, lona, hornillo, hamaca, guiso en olla, "
                "frontal, claro del bosque, glamping, lista de equipaje",
                (
                    "Dos días en una {a} solo con un {b} ⛺",
                    "Mi lista de {a} antes de cada escapada",
                ),
                ("Campista ⛺ {a} y {b}", "Fines de semana junto al fuego, {a}"),
                ("¿Dónde está esa {a}?", "Necesito esa {a}"),
            ),
            (
                "Stellplatz am See, Biwak, Lagerfeuer, Tarp, Campingkocher, Hängematte, Eintopf "
                "im Dutch Oven, Stirnlampe, Waldlichtung, Glamping, Packliste",
                ("Zwei Tage auf einem {a} nur mit {b} ⛺", "Meine {a} vor jeder Tour"),
                ("Camperin ⛺ {a} und {b}", "Wochenenden am Feuer, {a}"),
                ("Wo ist dieser {a}?", "Ich brauche diese {a}"),
            ),
            (
                "emplacement au bord du lac, bivouac, feu de camp, bâche, réchaud, hamac, "
                "ragoût en cocotte, frontale, clairière, glamping, liste de matériel",
                ("Deux jours sur un {a} avec juste un {b} ⛺", "Ma {a} avant chaque escapade"),
                ("Campeuse ⛺ {a} et {b}", "Les week-ends au coin du feu, {a}"),
                ("C'est où ce {a} ?", "Il me faut ce {a}"),
            ),
        ),
    ),
    EvalNiche(
        "poetry",
        "49",
        "Poetry",
        "42",
        _w("poet, haiku, sonnet, ink, ode"),
        _w(
            "poetry, poem, poetsofinstagram, haiku, spokenword, poesia, lyrik, poesie, "
            "slampoetry, instapoetry"
        ),
        (
            "notebooks and fountain pens for people who write verse",
            "a small press seeking voices that share brief rhymes and stanzas",
        ),
        _by_language(
            (
                "haiku, sonnet, spoken word, open mic, chapbook, couplets, line breaks, slam "
                "night, anthology, metaphor, ode to the sea",
                ("New poem: on {a} and {b} ✍️", "Read this at an {a} last night"),
                ("Poet ✍️ {a}, {b} and late trains", "Slam poet, {a} on Thursdays"),
                ("This {a} wrecked me", "Saving this {a} forever"),
            ),
            (
                "haiku, soneto, poesía oral, micrófono abierto, poemario, pareados, saltos de "
                "línea, noche de slam, antología, metáfora, oda al mar",
                ("Poema nuevo: sobre {a} y {b} ✍️", "Leí esto en un {a} anoche"),
                ("Poeta ✍️ {a} y {b}", "Slam, {a} los jueves"),
                ("Este {a} me ha roto", "Guardo este {a} para siempre"),
            ),
            (
                "Haiku, Sonett, Spoken Word, offene Bühne, Gedichtband, Reimpaare, "
                "Zeilenumbrüche, Poetry Slam, Anthologie, Metapher, Ode an das Meer",
                ("Neues Gedicht: über {a} und {b} ✍️", "Gestern bei einer {a} gelesen"),
                ("Lyrikerin ✍️ {a} und {b}", "Slam-Poetin, {a} donnerstags"),
                ("Dieses {a} hat mich zerstört", "Speichere mir dieses {a}"),
            ),
            (
                "haïku, sonnet, slam, scène ouverte, recueil, distiques, retours à la ligne, "
                "soirée slam, anthologie, métaphore, ode à la mer",
                ("Nouveau poème : sur {a} et {b} ✍️", "Lu hier soir à une {a}"),
                ("Poétesse ✍️ {a} et {b}", "Slameuse, {a} le jeudi"),
                ("Ce {a} m'a bouleversée", "Je garde ce {a} précieusement"),
            ),
        ),
    ),
)

__all__ = ["NICHES", "EvalNiche", "Words"]

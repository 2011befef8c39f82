"""What the evaluation world's people say beside their niches: languages, names, frames, praise.

Written for ``bench/eval_world.py`` and for nothing else: no word list here is taken from the demo
generator (``src/microscout/demo/``), so a product tuned on the demo meets text it has never seen.
Each language has its own names, countries, caption frames (sentences that carry two topic words
of the creator's niche), off-topic life updates, fans' praise and the creator's replies. Stock
praise written by engagement pods mixes the four languages, as pods recruit across borders.

Word lists are comma-separated strings (``_w``) to keep the module readable; sentences that hold
commas are tuples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from microscout.core.text import STOP_WORDS, word_stem, words


def _w(text: str) -> tuple[str, ...]:
    """``"a, b, c"`` → ``("a", "b", "c")``."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class Language:
    """A content language: who writes it, where they live, and the sentences every niche shares."""

    code: str
    share: float  # of creators
    countries: tuple[tuple[str, float], ...]  # ISO 3166 code, share within the language
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    frames: tuple[str, ...]  # caption frames with {a} and {b}, topic words of the niche
    life: tuple[str, ...]  # off-topic posts: what a creator of any niche also posts
    praise: tuple[str, ...]  # what real fans write when they have nothing specific to say
    replies: tuple[str, ...]  # the creator answering a comment


LANGUAGES: tuple[Language, ...] = (
    Language(
        "en",
        0.40,
        (("US", 0.45), ("GB", 0.30), ("AU", 0.10), ("IE", 0.08), ("NZ", 0.07)),
        _w(
            "harriet, oscar, freya, miles, imogen, felix, rosie, theo, nadia, caleb, iris, "
            "declan, maeve, rowan, tessa, jasper"
        ),
        _w("hughes, fletcher, barnes, oakley, pember, whitfield, ashby, doyle, carver, lennox"),
        (
            "Saturday notes: {a} and {b}",
            "Quick update on the {a}",
            "Things nobody tells you about {a}",
            "{a} vs {b}, which side are you on?",
            "A slow Sunday with {a}",
        ),
        (
            "Back from my sister's birthday 🎂",
            "Tired but happy after this week",
            "New haircut, who dis",
            "Grateful for this little corner of the internet",
            "Rainy Tuesday, staying in",
            "Ten years ago today I started posting",
        ),
        _w("so good, this is great, wow, ❤️, need to try this, brilliant, 👏👏, gorgeous"),
        _w("thank you!!, cheers 🙏, glad you like it, thanks so much ❤️, haha yes"),
    ),
    Language(
        "es",
        0.22,
        (("ES", 0.45), ("MX", 0.30), ("AR", 0.15), ("CO", 0.10)),
        _w(
            "ximena, rodrigo, nerea, iker, catalina, gonzalo, lorena, joaquin, amaia, tomas, "
            "renata, esteban"
        ),
        _w("navarro, iglesias, castillo, herrera, ortega, molina, delgado, vidal, aguirre, rubio"),
        (
            "Notas del sábado: {a} y {b}",
            "Novedades sobre {a}",
            "Lo que nadie te cuenta de {a}",
            "¿{a} o {b}? Decidme",
            "Domingo tranquilo con {a}",
        ),
        (
            "De vuelta del cumple de mi hermana 🎂",
            "Cansada pero feliz después de esta semana",
            "Corte de pelo nuevo",
            "Agradecida por este rinconcito de internet",
            "Martes de lluvia, en casa",
            "Hoy hace diez años que empecé a publicar",
        ),
        _w("qué bonito, me encanta, genial, ❤️, tengo que probarlo, precioso, 👏👏, brutal"),
        _w("¡gracias!, mil gracias 🙏, me alegro de que te guste, ❤️, jaja sí"),
    ),
    Language(
        "de",
        0.20,
        (("DE", 0.70), ("AT", 0.15), ("CH", 0.15)),
        _w(
            "greta, henrik, frieda, mattis, ida, johann, svenja, till, wiebke, konrad, merle, anton"
        ),
        _w("vogel, brandt, krause, lorenz, kessler, albrecht, winkler, seidel, haas, fuchs"),
        (
            "Samstagsnotizen: {a} und {b}",
            "Kurzes Update zu {a}",
            "Was dir keiner über {a} sagt",
            "{a} oder {b}, was meint ihr?",
            "Ein ruhiger Sonntag mit {a}",
        ),
        (
            "Zurück vom Geburtstag meiner Schwester 🎂",
            "Müde, aber glücklich nach dieser Woche",
            "Neue Frisur",
            "Dankbar für diese kleine Ecke im Internet",
            "Regnerischer Dienstag, ich bleibe drinnen",
            "Heute vor zehn Jahren habe ich angefangen zu posten",
        ),
        _w("richtig schön, toll, super, ❤️, muss ich ausprobieren, klasse, 👏👏, wunderbar"),
        _w("danke dir!, vielen dank 🙏, freut mich, ❤️, haha ja"),
    ),
    Language(
        "fr",
        0.18,
        (("FR", 0.70), ("BE", 0.15), ("CA", 0.15)),
        _w(
            "margaux, bastien, apolline, gaspard, eloise, timothee, solene, quentin, capucine, "
            "florian, maelle, aurelien"
        ),
        _w(
            "lefebvre, girard, fontaine, mercier, rousseau, blanchard, gauthier, perrin, "
            "marchand, chevalier"
        ),
        (
            "Notes du samedi : {a} et {b}",
            "Petit point sur {a}",
            "Ce qu'on ne vous dit jamais sur {a}",
            "{a} ou {b}, vous choisissez quoi ?",
            "Dimanche tranquille avec {a}",
        ),
        (
            "De retour de l'anniversaire de ma sœur 🎂",
            "Fatiguée mais heureuse après cette semaine",
            "Nouvelle coupe de cheveux",
            "Reconnaissante pour ce petit coin d'internet",
            "Mardi pluvieux, je reste au chaud",
            "Il y a dix ans aujourd'hui je publiais pour la première fois",
        ),
        _w("trop beau, génial, j'adore, ❤️, il faut que j'essaie, superbe, 👏👏, magnifique"),
        _w("merci !!, merci beaucoup 🙏, contente que ça te plaise, ❤️, haha oui"),
    ),
)
LANGUAGE_CODES = tuple(lang.code for lang in LANGUAGES)

# What pod accounts paste under every creator they are paid or traded to boost, in any language.
POD_PRAISE = (
    "amazing!!",
    "love this 🔥",
    "so good 😍😍",
    "incredible!!",
    "🔥🔥🔥",
    "wow just wow",
    "this!! 🙌",
    "goals ✨",
    "increíble!!",
    "top 🔥",
    "mega!!",
    "trop bien 🔥",
    "yesss 💯",
    "obsessed 😍",
    "perfection 👌",
    "need this",
)
# Hashtags with no niche that creators of every niche add.
GENERIC_HASHTAGS = _w(
    "dailylife, mood, instadaily, reelsoftheday, explorepage, goodtimes, sundayfunday, "
    "happyplace, vibes, photodump"
)


def content_words(texts: Iterable[str]) -> set[str]:
    """The words of ``texts`` as the product matches them: its word rule, stop words and stems."""
    found: set[str] = set()
    for text in texts:
        for word in words(re.sub(r"\{[ab]\}", " ", text), STOP_WORDS):
            found.add(word)
            found.add(word_stem(word))
    return found


def shared_words(brief: str, vocabulary: set[str]) -> set[str]:
    """Words of ``brief`` that ``vocabulary`` holds: equal words or stems, or a 5+ letter prefix.

    Stricter than the product's own matching (a prefix counts too, so "garden" meets "gardening"
    and "grower" meets "growers"), so a brief that passes says what the niche means in words its
    posts never use.
    """
    shared = set()
    for word in content_words([brief]):
        if word in vocabulary:
            shared.add(word)
            continue
        if len(word) >= 5 and any(
            len(other) >= 5 and (other.startswith(word) or word.startswith(other))
            for other in vocabulary
        ):
            shared.add(word)
    return shared


__all__ = [
    "GENERIC_HASHTAGS",
    "LANGUAGES",
    "LANGUAGE_CODES",
    "POD_PRAISE",
    "Language",
    "content_words",
    "shared_words",
]

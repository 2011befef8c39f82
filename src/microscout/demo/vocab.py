"""Vocabulary shared by every niche: countries, languages, names and cross-niche noise.

Non-English creators write a few phrases in their language; that is enough for language filters
and language detection to have something real to work on. Names are ASCII so handles built from
them stay valid on every platform.
"""

from __future__ import annotations

from dataclasses import dataclass

from microscout.demo.text import words as _words


@dataclass(frozen=True)
class Language:
    """A content language: ISO 639-1 code, names, and the phrases its creators mix in."""

    code: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    caption_phrases: tuple[str, ...]
    bio_phrases: tuple[str, ...]
    comments: tuple[str, ...]
    replies: tuple[str, ...]


LANGUAGES: tuple[Language, ...] = (
    Language(
        "en",
        _words(
            "emma, olivia, ava, mia, sophie, grace, chloe, lily, jack, liam, noah, ethan, "
            "james, ryan, priya, arjun, ananya, rohan, zoe, maya"
        ),
        _words("smith, johnson, brown, taylor, walker, wilson, clarke, patel, sharma, miller"),
        _words("Link in bio!, Happy Sunday, Who else?, Let me know below 👇, Thoughts?"),
        _words("DM for collabs, Based in the city, Coffee first, New video every week"),
        _words("Love this!, So helpful, Thanks for sharing, Amazing 😍, Needed this today"),
        _words(
            "Thank you so much! ❤️, Glad it helped!, You're the best 🙏, "
            "Thanks for watching!, Let me know how it goes!"
        ),
    ),
    Language(
        "de",
        _words("lena, hannah, lea, mia, sophie, lukas, finn, jonas, leon, paul, marie, emil"),
        _words("mueller, schmidt, schneider, fischer, weber, wagner, becker, hoffmann"),
        _words("Link in der Bio!, Schönen Sonntag!, Wer kennt das?, Was meint ihr?, Neu:"),
        _words("Anfragen per Mail, Aus Berlin, Kaffee zuerst, Jede Woche neue Videos"),
        _words("Sehr cool!, Danke fürs Teilen, Wunderschön 😍, Genau das brauchte ich"),
        _words("Vielen Dank! ❤️, Freut mich sehr!, Danke dir 🙏, Gerne!"),
    ),
    Language(
        "fr",
        _words("camille, lea, manon, chloe, ines, lucas, hugo, louis, jules, arthur, jade"),
        _words("martin, bernard, dubois, thomas, robert, petit, durand, leroy"),
        _words("Lien en bio !, Bon dimanche !, Qui d'autre ?, Dites-moi en commentaire, Nouveau :"),
        _words("Contact par mail, Depuis Paris, Café d'abord, Nouvelle vidéo chaque semaine"),
        _words("Trop bien !, Merci pour le partage, Magnifique 😍, J'adore !"),
        _words("Merci beaucoup ! ❤️, Avec plaisir !, Merci à toi 🙏, Contente que ça t'aide !"),
    ),
    Language(
        "es",
        _words("lucia, sofia, martina, paula, valeria, hugo, mateo, pablo, diego, alvaro, ana"),
        _words("garcia, martinez, lopez, sanchez, gonzalez, perez, romero, torres"),
        _words("Link en la bio!, Feliz domingo!, Quién más?, Contadme abajo 👇, Nuevo:"),
        _words("Colaboraciones por email, Desde Madrid, Primero café, Vídeo nuevo cada semana"),
        _words("Me encanta!, Gracias por compartir, Precioso 😍, Justo lo que necesitaba"),
        _words("Muchas gracias! ❤️, Me alegro mucho!, Gracias a ti 🙏, Un abrazo!"),
    ),
    Language(
        "it",
        _words("giulia, sofia, aurora, alice, chiara, leonardo, francesco, lorenzo, matteo"),
        _words("rossi, russo, ferrari, esposito, bianchi, romano, colombo, ricci"),
        _words("Link in bio!, Buona domenica!, Chi altro?, Fatemi sapere 👇, Novità:"),
        _words("Collaborazioni via email, Da Milano, Prima il caffè, Video nuovi ogni settimana"),
        _words("Bellissimo!, Grazie per la condivisione, Stupendo 😍, Ne avevo bisogno"),
        _words("Grazie mille! ❤️, Che bello!, Grazie a te 🙏, Un abbraccio!"),
    ),
    Language(
        "pt",
        _words("ana, beatriz, julia, larissa, mariana, gabriel, lucas, pedro, rafael, bruno"),
        _words("silva, santos, oliveira, souza, lima, pereira, costa, almeida"),
        _words("Link na bio!, Bom domingo!, Quem mais?, Me conta aqui 👇, Novidade:"),
        _words("Parcerias por email, De São Paulo, Café primeiro, Vídeo novo toda semana"),
        _words("Amei!, Obrigada por compartilhar, Lindo demais 😍, Era disso que eu precisava"),
        _words("Muito obrigada! ❤️, Que bom que ajudou!, Valeu 🙏, Beijos!"),
    ),
)

LANGUAGE_INDEX = {lang.code: i for i, lang in enumerate(LANGUAGES)}

# (country, language, share of creators). Canada is mostly English here; a French-Canadian share
# would need a second language per country, which the demo does not need.
COUNTRIES: tuple[tuple[str, str, float], ...] = (
    ("US", "en", 0.27),
    ("GB", "en", 0.09),
    ("DE", "de", 0.09),
    ("FR", "fr", 0.08),
    ("ES", "es", 0.07),
    ("IT", "it", 0.05),
    ("BR", "pt", 0.07),
    ("IN", "en", 0.09),
    ("CA", "en", 0.06),
    ("AU", "en", 0.05),
    ("MX", "es", 0.04),
    ("PT", "pt", 0.02),
    ("AT", "de", 0.02),
)

# Cross-niche noise: what lifestyle creators of every niche also say.
GENERIC_HASHTAGS = _words(
    "love, instagood, photooftheday, happy, lifestyle, reels, fyp, foryou, viral, explore, "
    "weekend, motivation, inspiration, goodvibes"
)
LIFESTYLE_PHRASES = _words(
    "Coffee first ☕, Sunday vibes, Weekend mood, Little moments, Grateful for this, "
    "New week new goals, Self care day, Golden hour"
)
GENERIC_COMMENTS = _words(
    "Love this!, 😍😍😍, So good, Amazing content, Wow, 🔥🔥, Yes!!, Beautiful, Great tips, "
    "Thanks for sharing"
)
POD_COMMENTS = _words(
    "Great post! 🔥, Love this! 😍, Amazing content 👏, So inspiring ✨, Nice shot!, "
    "Awesome! 🙌, Keep it up 💯, Wow 🔥🔥"
)
FAKE_HANDLE_WORDS = _words("user, insta, follow, real, the, best, official, life, xx, top")

__all__ = [
    "COUNTRIES",
    "FAKE_HANDLE_WORDS",
    "GENERIC_COMMENTS",
    "GENERIC_HASHTAGS",
    "LANGUAGES",
    "LANGUAGE_INDEX",
    "LIFESTYLE_PHRASES",
    "POD_COMMENTS",
    "Language",
]

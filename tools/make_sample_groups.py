"""Write data/groups.csv: FICTIONAL sample groups for groupfinder.

Every group in the output is invented. Names, street addresses, e-mail addresses
(example.org), websites (example.org) and phone numbers (non-dialable "+32 00 ..." /
"+31 00 ..." numbers) are fictional; every description ends with a sentence that says so.
Only the towns are real: each has its real postcode (Belgium: 4 digits; the Netherlands:
4 digits plus 2 plausible letters) and approximate real coordinates of its centre, so that
distances computed by the matcher are right. In-person and hybrid groups sit at most
about 1.2 km from that centre.

The output is deterministic (random.Random(2026)); run it again to regenerate the file:

    python tools/make_sample_groups.py [--out PATH]

Standard library only; the column order is data contract 3 in DESIGN.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from groupfinder.catalog.loader import COLUMNS  # the catalog's own column order
from groupfinder.domain.vocabulary import FORMAT_IDS

Lang = Literal["nl", "fr", "en"]
Region = Literal["flanders", "brussels", "netherlands"]
Country = Literal["BE", "NL"]
Setting = Literal["in_person", "online", "hybrid"]

SEED = 2026
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "groups.csv"


FORMATS = FORMAT_IDS
NON_RETREAT = tuple(f for f in FORMATS if f != "wellness_retreat")

TOPICS = (
    "grief",
    "addiction",
    "anxiety",
    "depression",
    "trauma",
    "burnout",
    "chronic_illness",
    "eating_disorder",
    "relationships",
    "loneliness",
    "family_carer",
    "self_esteem",
    "toxic_relationship",
    "stress",
    "general",
)

#: Topics that often come together with the first one (second and third topic of a group).
RELATED: dict[str, tuple[str, ...]] = {
    "grief": ("loneliness", "depression", "family_carer"),
    "addiction": ("relationships", "family_carer", "depression"),
    "anxiety": ("stress", "depression", "self_esteem"),
    "depression": ("anxiety", "loneliness", "self_esteem"),
    "trauma": ("anxiety", "toxic_relationship", "relationships"),
    "burnout": ("stress", "self_esteem", "depression"),
    "chronic_illness": ("family_carer", "loneliness", "stress"),
    "eating_disorder": ("self_esteem", "anxiety", "depression"),
    "relationships": ("self_esteem", "toxic_relationship", "loneliness"),
    "loneliness": ("relationships", "depression", "self_esteem"),
    "family_carer": ("stress", "chronic_illness", "burnout"),
    "self_esteem": ("relationships", "anxiety", "stress"),
    "toxic_relationship": ("self_esteem", "trauma", "relationships"),
    "stress": ("burnout", "anxiety", "self_esteem"),
    "general": (),
}
RETREAT_TOPICS = ("burnout", "stress", "grief", "general", "self_esteem", "loneliness")

#: Group size (min, max) around which a format's groups vary.
SIZES: dict[str, tuple[int, int]] = {
    "therapy_group": (5, 10),
    "support_group": (6, 15),
    "workshop": (8, 20),
    "wellness_retreat": (6, 20),
    "art_therapy_psychodrama": (4, 10),
    "personal_development": (6, 16),
    "talk_group": (5, 20),
}

COMMITMENTS: dict[str, tuple[str, ...]] = {
    "therapy_group": ("series", "ongoing"),
    "support_group": ("ongoing",),
    "workshop": ("one_off", "series"),
    "wellness_retreat": ("residential",),
    "art_therapy_psychodrama": ("series", "ongoing"),
    "personal_development": ("one_off", "series", "ongoing"),
    "talk_group": ("one_off", "ongoing"),
}


@dataclass(frozen=True)
class Town:
    """A real town or Brussels municipality: postcode and approximate centre."""

    name_nl: str
    name_fr: str
    region: Region
    postcode: str
    lat: float
    lon: float
    groups: int
    rural: bool = False

    @property
    def country(self) -> Country:
        return "NL" if self.region == "netherlands" else "BE"

    def name(self, lang: Lang) -> str:
        # English-language groups in Brussels use the French name, like their street.
        return self.name_fr if lang in ("fr", "en") else self.name_nl


def _be(name: str, postcode: str, lat: float, lon: float, groups: int, rural: bool = False) -> Town:
    return Town(name, name, "flanders", postcode, lat, lon, groups, rural)


def _bxl(nl: str, fr: str, postcode: str, lat: float, lon: float, groups: int) -> Town:
    return Town(nl, fr, "brussels", postcode, lat, lon, groups)


def _nl(name: str, postcode: str, lat: float, lon: float, groups: int, rural: bool = False) -> Town:
    return Town(name, name, "netherlands", postcode, lat, lon, groups, rural)


TOWNS: tuple[Town, ...] = (
    # Flanders
    _be("Gent", "9000", 51.0543, 3.7174, 6),
    _be("Antwerpen", "2000", 51.2211, 4.3997, 6),
    _be("Leuven", "3000", 50.8798, 4.7005, 4),
    _be("Kessel-Lo", "3010", 50.8880, 4.7250, 2),
    _be("Brugge", "8000", 51.2093, 3.2247, 4),
    _be("Kortrijk", "8500", 50.8280, 3.2649, 3),
    _be("Hasselt", "3500", 50.9307, 5.3325, 4),
    _be("Mechelen", "2800", 51.0259, 4.4776, 3),
    _be("Aalst", "9300", 50.9378, 4.0403, 3),
    _be("Sint-Niklaas", "9100", 51.1655, 4.1436, 3),
    _be("Oostende", "8400", 51.2298, 2.9193, 3),
    _be("Genk", "3600", 50.9650, 5.5008, 3),
    _be("Turnhout", "2300", 51.3227, 4.9447, 3),
    _be("Roeselare", "8800", 50.9465, 3.1230, 2),
    _be("Ieper", "8900", 50.8514, 2.8857, 2),
    _be("Lier", "2500", 51.1313, 4.5700, 2),
    _be("Dendermonde", "9200", 51.0284, 4.1014, 2),
    _be("Geel", "2440", 51.1617, 4.9908, 2),
    _be("Tongeren", "3700", 50.7809, 5.4648, 2),
    _be("Vilvoorde", "1800", 50.9281, 4.4245, 2),
    _be("Oudenaarde", "9700", 50.8450, 3.6050, 2),
    _be("Diest", "3290", 50.9858, 5.0507, 2),
    _be("Damme", "8340", 51.2515, 3.2818, 3, rural=True),
    _be("Kasterlee", "2460", 51.2408, 4.9664, 3, rural=True),
    _be("Kemmel", "8956", 50.7833, 2.8283, 2, rural=True),
    _be("Lommel", "3920", 51.2303, 5.3140, 2, rural=True),
    _be("Maaseik", "3680", 51.0981, 5.7856, 2, rural=True),
    # Brussels-Capital Region (names in Dutch and French)
    _bxl("Brussel", "Bruxelles", "1000", 50.8467, 4.3525, 6),
    _bxl("Elsene", "Ixelles", "1050", 50.8303, 4.3693, 4),
    _bxl("Sint-Gillis", "Saint-Gilles", "1060", 50.8279, 4.3455, 3),
    _bxl("Sint-Jans-Molenbeek", "Molenbeek-Saint-Jean", "1080", 50.8550, 4.3300, 3),
    _bxl("Sint-Lambrechts-Woluwe", "Woluwe-Saint-Lambert", "1200", 50.8465, 4.4262, 3),
    _bxl("Schaarbeek", "Schaerbeek", "1030", 50.8676, 4.3737, 3),
    _bxl("Anderlecht", "Anderlecht", "1070", 50.8365, 4.3080, 2),
    _bxl("Etterbeek", "Etterbeek", "1040", 50.8336, 4.3890, 3),
    _bxl("Ukkel", "Uccle", "1180", 50.8020, 4.3400, 3),
    # The Netherlands
    _nl("Amsterdam", "1012 JS", 52.3731, 4.8926, 6),
    _nl("Rotterdam", "3011 AD", 51.9225, 4.4792, 5),
    _nl("Den Haag", "2511 BT", 52.0799, 4.3113, 4),
    _nl("Utrecht", "3511 LX", 52.0907, 5.1214, 5),
    _nl("Eindhoven", "5611 AB", 51.4416, 5.4697, 3),
    _nl("'s-Hertogenbosch", "5211 HL", 51.6978, 5.3037, 3),
    _nl("Tilburg", "5038 CK", 51.5555, 5.0913, 3),
    _nl("Breda", "4811 XJ", 51.5883, 4.7760, 3),
    _nl("Maastricht", "6211 CS", 50.8514, 5.6910, 3),
    _nl("Nijmegen", "6511 KL", 51.8475, 5.8625, 3),
    _nl("Groningen", "9711 LM", 53.2194, 6.5665, 4),
    _nl("Zwolle", "8011 CW", 52.5168, 6.0830, 3),
    _nl("Haarlem", "2011 RV", 52.3812, 4.6368, 3),
    _nl("Leiden", "2311 EZ", 52.1583, 4.4931, 3),
    _nl("Arnhem", "6811 CH", 51.9851, 5.8987, 3),
    _nl("Middelburg", "4331 KZ", 51.4988, 3.6110, 2),
    _nl("Amersfoort", "3811 BM", 52.1561, 5.3878, 2),
    _nl("Leeuwarden", "8911 BD", 53.2012, 5.7999, 2),
    _nl("Enschede", "7511 JM", 52.2215, 6.8937, 2),
    _nl("Delft", "2611 GP", 52.0116, 4.3571, 2),
    _nl("Ommen", "7731 CA", 52.5212, 6.4207, 3, rural=True),
    _nl("Schoorl", "1871 CK", 52.7011, 4.6933, 2, rural=True),
    _nl("Vaals", "6291 AT", 50.7703, 6.0181, 2, rural=True),
    _nl("Ermelo", "3851 LA", 52.3000, 5.6214, 2, rural=True),
)

# --- words for names, descriptions, schedules --------------------------------------------

KINDS: dict[Lang, dict[str, tuple[str, ...]]] = {
    "nl": {
        "therapy_group": ("Therapiegroep", "Groepstherapie"),
        "support_group": ("Steungroep", "Lotgenotengroep"),
        "workshop": ("Workshop", "Vormingsreeks"),
        "wellness_retreat": ("Retraite", "Herbronningsdagen", "Stilteretraite"),
        "art_therapy_psychodrama": ("Kunsttherapiegroep", "Psychodramagroep", "Creatief atelier"),
        "personal_development": ("Groeigroep", "Groeitraject", "Training"),
        "talk_group": ("Praatgroep", "Praatcafé"),
    },
    "fr": {
        "therapy_group": ("Groupe thérapeutique", "Thérapie de groupe"),
        "support_group": ("Groupe de soutien", "Groupe d'entraide"),
        "workshop": ("Atelier", "Cycle d'ateliers"),
        "wellness_retreat": ("Retraite", "Séjour de ressourcement"),
        "art_therapy_psychodrama": ("Atelier d'art-thérapie", "Groupe de psychodrame"),
        "personal_development": ("Parcours de développement personnel", "Cercle de croissance"),
        "talk_group": ("Cercle de parole", "Groupe de parole"),
    },
    "en": {
        "therapy_group": ("Therapy Group",),
        "support_group": ("Support Group", "Peer Support Circle", "Recovery Circle"),
        "workshop": ("Workshop", "Skills Lab"),
        "wellness_retreat": ("Retreat", "Residential Retreat"),
        "art_therapy_psychodrama": ("Art Therapy Studio", "Psychodrama Group"),
        "personal_development": ("Growth Circle", "Personal Growth Lab"),
        "talk_group": ("Talk Circle", "Open Talk Evening"),
    },
}

#: Invented place-like names ("houses") for group names.
HOUSES: dict[Lang, tuple[str, ...]] = {
    "nl": (
        "De Lindeboom",
        "De Notelaar",
        "De Esdoorn",
        "De Wilgenhoek",
        "Het Vlierhof",
        "De Meidoorn",
        "De Zilverberk",
        "De Kastanjelaar",
        "Het Lavendelveld",
        "De Merel",
        "De IJsvogel",
        "De Reiger",
        "De Zwaluw",
        "Het Klaverblad",
        "De Heemtuin",
        "De Boterbloem",
        "De Waterlelie",
        "De Korenbloem",
        "De Hazelaar",
        "Het Rietland",
    ),
    "fr": (
        "Les Tilleuls",
        "Les Érables",
        "Le Saule",
        "Les Noisetiers",
        "Le Martin-pêcheur",
        "Les Hirondelles",
        "La Clairière",
        "Le Chêne vert",
        "Les Coquelicots",
        "La Luciole",
        "Le Trèfle",
        "Les Bouleaux",
        "L'Aubépine",
        "Les Glycines",
        "Le Héron",
    ),
    "en": (
        "Willow",
        "Linden",
        "Hazel",
        "Kingfisher",
        "Heron",
        "Swallow",
        "Clover",
        "Bluebell",
        "Rowan",
        "Meadow",
    ),
}

TOPIC_WORDS: dict[Lang, dict[str, str]] = {
    "nl": {
        "grief": "Rouw",
        "addiction": "Verslaving",
        "anxiety": "Angst",
        "depression": "Depressie",
        "trauma": "Trauma",
        "burnout": "Burn-out",
        "chronic_illness": "Chronisch ziek",
        "eating_disorder": "Eetstoornissen",
        "relationships": "Relaties",
        "loneliness": "Eenzaamheid",
        "family_carer": "Mantelzorgers",
        "self_esteem": "Zelfvertrouwen",
        "toxic_relationship": "Toxische relaties",
        "stress": "Stress",
        "general": "",
    },
    "fr": {
        "grief": "Deuil",
        "addiction": "Addictions",
        "anxiety": "Anxiété",
        "depression": "Dépression",
        "trauma": "Trauma",
        "burnout": "Burn-out",
        "chronic_illness": "Maladie chronique",
        "eating_disorder": "Troubles alimentaires",
        "relationships": "Relations",
        "loneliness": "Solitude",
        "family_carer": "Aidants proches",
        "self_esteem": "Estime de soi",
        "toxic_relationship": "Relations toxiques",
        "stress": "Stress",
        "general": "",
    },
    "en": {
        "grief": "Grief",
        "addiction": "Addiction Recovery",
        "anxiety": "Anxiety",
        "depression": "Depression",
        "trauma": "Trauma",
        "burnout": "Burnout",
        "chronic_illness": "Chronic Illness",
        "eating_disorder": "Eating Disorder",
        "relationships": "Relationships",
        "loneliness": "Loneliness",
        "family_carer": "Carers",
        "self_esteem": "Self-Esteem",
        "toxic_relationship": "Toxic Relationship",
        "stress": "Stress",
        "general": "Community",
    },
}

TOPIC_PHRASES: dict[Lang, dict[str, str]] = {
    "nl": {
        "grief": "rouw en verlies",
        "addiction": "verslaving en herstel",
        "anxiety": "angst en paniek",
        "depression": "depressie en somberheid",
        "trauma": "trauma",
        "burnout": "burn-out",
        "chronic_illness": "leven met een chronische ziekte",
        "eating_disorder": "eetstoornissen",
        "relationships": "relaties en verbinding",
        "loneliness": "eenzaamheid",
        "family_carer": "mantelzorg",
        "self_esteem": "zelfvertrouwen",
        "toxic_relationship": "herstel na een toxische relatie",
        "stress": "stress",
        "general": "alles wat je bezighoudt",
    },
    "fr": {
        "grief": "le deuil",
        "addiction": "le rétablissement après une addiction",
        "anxiety": "l'anxiété",
        "depression": "la dépression",
        "trauma": "le traumatisme",
        "burnout": "le burn-out",
        "chronic_illness": "la vie avec une maladie chronique",
        "eating_disorder": "les troubles alimentaires",
        "relationships": "les relations",
        "loneliness": "la solitude",
        "family_carer": "le rôle d'aidant proche",
        "self_esteem": "l'estime de soi",
        "toxic_relationship": "l'après-relation toxique",
        "stress": "le stress",
        "general": "tout ce qui vous préoccupe",
    },
    "en": {
        "grief": "grief and loss",
        "addiction": "addiction and recovery",
        "anxiety": "anxiety",
        "depression": "depression",
        "trauma": "trauma",
        "burnout": "burnout",
        "chronic_illness": "living with a chronic illness",
        "eating_disorder": "eating disorders",
        "relationships": "relationships",
        "loneliness": "loneliness",
        "family_carer": "caring for a loved one",
        "self_esteem": "self-esteem",
        "toxic_relationship": "recovering from a toxic relationship",
        "stress": "stress",
        "general": "whatever is on your mind",
    },
}


@dataclass(frozen=True)
class Audience:
    """Who a group is for: the free text shown, and the version 2 columns that the matcher uses."""

    text: str
    for_whom: str = "both"  # self | relatives | both
    age_min: int | None = None
    age_max: int | None = None
    restricted_to: tuple[str, ...] = ()


def _a(
    text: str,
    for_whom: str = "both",
    ages: tuple[int | None, int | None] = (None, None),
    only: tuple[str, ...] = (),
) -> Audience:
    return Audience(text, for_whom, ages[0], ages[1], only)


ADULTS = (18, None)

#: Audiences for some topics, the way real directories describe them; other topics use
#: GENERAL_AUDIENCES.
TOPIC_AUDIENCES: dict[Lang, dict[str, tuple[Audience, ...]]] = {
    "nl": {
        "grief": (
            _a("Ouders die een kind verloren", "self"),
            _a("Nabestaanden", "self"),
            _a("Partners die weduwe(n)aar werden", "self"),
        ),
        "addiction": (
            _a("Mensen in herstel", "self", ADULTS),
            _a("Naasten van iemand met een verslaving", "relatives"),
        ),
        "family_carer": (
            _a("Mantelzorgers"),
            _a("Jonge mantelzorgers 16-25", ages=(16, 25)),
        ),
        "chronic_illness": (
            _a("Mensen met een chronische ziekte en hun naasten"),
            _a("Mensen met chronische pijn", "self"),
        ),
        "burnout": (_a("Werkenden en werkzoekenden na een burn-out", "self", ADULTS),),
        "eating_disorder": (
            _a("Volwassenen met een eetstoornis", "self", ADULTS),
            _a("Ouders van een kind met een eetstoornis", "relatives"),
        ),
    },
    "fr": {
        "grief": (
            _a("Parents ayant perdu un enfant", "self"),
            _a("Personnes endeuillées", "self"),
            _a("Conjoints endeuillés", "self"),
        ),
        "addiction": (
            _a("Personnes en rétablissement", "self", ADULTS),
            _a("Proches de personnes dépendantes", "relatives"),
        ),
        "family_carer": (
            _a("Aidants proches"),
            _a("Jeunes aidants 16-25 ans", ages=(16, 25)),
        ),
        "chronic_illness": (_a("Personnes atteintes d'une maladie chronique et leurs proches"),),
        "burnout": (_a("Personnes en reprise après un burn-out", "self", ADULTS),),
        "eating_disorder": (_a("Adultes avec un trouble alimentaire", "self", ADULTS),),
    },
    "en": {
        "grief": (_a("Bereaved parents", "self"), _a("Anyone who lost a loved one", "self")),
        "addiction": (
            _a("People in recovery", "self", ADULTS),
            _a("Family and friends of people with an addiction", "relatives"),
        ),
        "family_carer": (_a("Family carers"), _a("Young carers 16-25", ages=(16, 25))),
        "chronic_illness": (_a("People living with a chronic illness", "self"),),
        "burnout": (_a("People returning to work after burnout", "self", ADULTS),),
        "eating_disorder": (_a("Adults with an eating disorder", "self", ADULTS),),
    },
}
GENERAL_AUDIENCES: dict[Lang, tuple[Audience, ...]] = {
    "nl": (
        _a(""),  # open to all: said in the reader's language
        _a(""),  # open to all: said in the reader's language
        _a(""),  # open to all: said in the reader's language
        _a("Jongeren 18-25", ages=(18, 25)),
        _a("Tieners 14-17", ages=(14, 17)),
        _a("Volwassenen", ages=ADULTS),
        _a("Vrouwen", only=("women",)),
        _a("Mannen", only=("men",)),
        _a("55-plussers", ages=(55, None)),
        _a("Studenten", ages=(17, 30), only=("students",)),
        _a("LGBTQ+-personen", only=("lgbtq",)),
    ),
    "fr": (
        _a(""),  # open to all: said in the reader's language
        _a(""),  # open to all: said in the reader's language
        _a(""),  # open to all: said in the reader's language
        _a("Jeunes 18-25 ans", ages=(18, 25)),
        _a("Adultes", ages=ADULTS),
        _a("Femmes", only=("women",)),
        _a("Hommes", only=("men",)),
        _a("Seniors (55 ans et plus)", ages=(55, None)),
        _a("Personnes LGBTQ+", only=("lgbtq",)),
    ),
    "en": (
        _a(""),  # open to all: said in the reader's language
        _a(""),  # open to all: said in the reader's language
        _a("Young adults 18-25", ages=(18, 25)),
        _a("Internationals and expats", only=("internationals",)),
        _a("Women", only=("women",)),
        _a("Students", ages=(17, 30), only=("students",)),
    ),
}

DESCRIPTIONS: dict[Lang, dict[str, tuple[str, ...]]] = {
    "nl": {
        "therapy_group": (
            "Gesloten therapiegroep rond {topic}, begeleid door een erkende psychotherapeut.",
            "Groepstherapie rond {topic} met een vast aantal sessies en een intakegesprek vooraf.",
        ),
        "support_group": (
            "Lotgenoten rond {topic} delen ervaringen en steunen elkaar.",
            "Een warme groep rond {topic}, waar je verhaal er mag zijn.",
        ),
        "support_group_pro": ("Steungroep rond {topic}, begeleid door een psycholoog.",),
        "workshop": (
            "Korte workshop met uitleg en oefeningen rond {topic}.",
            "Psycho-educatie en praktische vaardigheden rond {topic}, in kleine oefenmomenten.",
        ),
        "wellness_retreat": (
            "Meerdaagse retraite met rust, wandelingen en momenten van reflectie rond {topic}.",
            "Enkele dagen weg van de drukte om te herbronnen, met aandacht voor {topic}.",
        ),
        "art_therapy_psychodrama": (
            "Met beeld, klei of spel werken rond {topic}, met een gecertificeerde therapeut.",
            "Psychodrama rond {topic}: wat moeilijk te zeggen is, krijgt vorm in spel.",
        ),
        "personal_development": (
            "Groeitraject rond {topic}, met aandacht voor communicatie en zelfinzicht.",
            "Samen werken aan zelfinzicht rond {topic}, begeleid door een coach.",
        ),
        "talk_group": (
            "Open praatgroep rond {topic}; instappen kan op elk moment.",
            "Vrijblijvend samenkomen en praten over {topic}, in een veilige sfeer.",
        ),
    },
    "fr": {
        "therapy_group": (
            "Groupe thérapeutique fermé autour de {topic}, animé par un psychothérapeute agréé.",
            "Thérapie de groupe sur {topic}, en séances régulières après un entretien préalable.",
        ),
        "support_group": (
            "Des pairs concernés par {topic} partagent leur vécu et se soutiennent.",
            "Un groupe chaleureux autour de {topic}, où votre histoire a sa place.",
        ),
        "support_group_pro": ("Groupe de soutien autour de {topic}, animé par une psychologue.",),
        "workshop": (
            "Atelier court avec explications et exercices autour de {topic}.",
            "Psychoéducation et outils pratiques autour de {topic}.",
        ),
        "wellness_retreat": (
            "Retraite de plusieurs jours : repos, marche et temps de réflexion autour de {topic}.",
            "Quelques jours au calme pour se ressourcer, avec une attention pour {topic}.",
        ),
        "art_therapy_psychodrama": (
            "Peinture, modelage ou jeu pour explorer {topic}, avec une art-thérapeute certifiée.",
            "Psychodrame autour de {topic} : ce qui est difficile à dire prend forme dans le jeu.",
        ),
        "personal_development": (
            "Parcours autour de {topic}, pour mieux communiquer et mieux se connaître.",
            "Mieux se connaître face à {topic}, accompagné par un coach.",
        ),
        "talk_group": (
            "Groupe de parole ouvert sur {topic} ; on peut venir sans inscription.",
            "Un moment libre pour parler de {topic}, dans un cadre bienveillant.",
        ),
    },
    "en": {
        "therapy_group": (
            "Closed therapy group on {topic}, led by a licensed psychotherapist.",
            "Group therapy on {topic} with a fixed number of sessions and an intake talk first.",
        ),
        "support_group": (
            "Peers affected by {topic} share experiences and support each other.",
            "A warm, welcoming group around {topic}, where your story has a place.",
        ),
        "support_group_pro": ("Support group on {topic}, facilitated by a psychologist.",),
        "workshop": (
            "Short workshop with explanations and exercises on {topic}.",
            "Psycho-education and practical skills for {topic}, in small practice rounds.",
        ),
        "wellness_retreat": (
            "Residential retreat with rest, walks and time for reflection on {topic}.",
            "A few quiet days away to recharge, with attention for {topic}.",
        ),
        "art_therapy_psychodrama": (
            "Painting, clay or role play around {topic}, guided by a certified art therapist.",
            "Psychodrama on {topic}: what is hard to say takes shape in play.",
        ),
        "personal_development": (
            "A growth track on {topic}, working on communication and self-insight.",
            "Working on self-insight around {topic}, guided by a coach.",
        ),
        "talk_group": (
            "Open talk group on {topic}; drop in any time.",
            "An informal evening to talk about {topic} in a safe atmosphere.",
        ),
    },
}

FICTIONAL: dict[Lang, str] = {
    "nl": "Fictieve voorbeeldgroep.",
    "fr": "Groupe d'exemple fictif.",
    "en": "Fictional sample group.",
}

STREETS: dict[Lang, tuple[str, ...]] = {  # English-language groups use Dutch or French streets
    "nl": (
        "Lindebloesemstraat",
        "Zilverreigerlaan",
        "Korenaarplein",
        "Wilgenkatjeslaan",
        "Vlierbesstraat",
        "Hazelnootdreef",
        "Klaverveldstraat",
        "Merelzangpad",
        "Boterbloemweg",
        "Dauwdruppelstraat",
        "Zonnewijzerlaan",
        "Lavendelhof",
    ),
    "fr": (
        "Rue des Lucioles Dorées",
        "Avenue du Saule Pleureur",
        "Rue du Trèfle Blanc",
        "Place des Glycines Bleues",
        "Rue de la Clairière Calme",
        "Avenue des Hirondelles",
        "Rue du Héron Cendré",
        "Chaussée des Noisetiers",
    ),
}

WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
}
ORDINALS: dict[Lang, tuple[str, ...]] = {
    "nl": ("eerste", "tweede", "derde", "laatste"),
    "fr": ("premier", "deuxième", "troisième", "dernier"),
    "en": ("first", "second", "third", "last"),
}
EVENING_TIMES = ("18:30-20:00", "19:00-21:00", "19:30-21:00", "20:00-21:30")
TIMES = ("10:00-12:00", "14:00-16:00", "18:30-20:00", "19:00-21:00", "19:30-21:00", "20:00-21:30")
DAY_TIMES = ("10:00-12:00", "14:00-16:00", "13:30-15:30", "10:00-16:00")


# --- helpers ------------------------------------------------------------------------------


class Deck:
    """Draws items in shuffled rounds, so that every item comes up about equally often."""

    def __init__(self, rng: random.Random, items: Sequence[str]) -> None:
        self._rng = rng
        self._items = tuple(items)
        self._pile: list[str] = []

    def draw(self) -> str:
        if not self._pile:
            self._pile = list(self._items)
            self._rng.shuffle(self._pile)
        return self._pile.pop()


def jitter(rng: random.Random, lat: float, lon: float, max_km: float) -> tuple[float, float]:
    """A point at most ``max_km`` from (lat, lon), rounded to 5 decimals."""
    radius = max_km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    dlat = radius * math.cos(angle) / 111.32
    dlon = radius * math.sin(angle) / (111.32 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def pick_languages(rng: random.Random, region: Region | None) -> list[Lang]:
    r = rng.random()
    if region == "flanders":
        if r < 0.88:
            return ["nl"]
        return ["nl", "en"] if r < 0.94 else ["en"]
    if region == "brussels":
        if r < 0.40:
            return ["fr"]
        if r < 0.55:
            return ["nl"]
        if r < 0.85:
            return ["fr", "nl"]
        return ["en"] if r < 0.95 else ["en", "fr"]
    if region == "netherlands":
        if r < 0.84:
            return ["nl"]
        return ["en"] if r < 0.94 else ["nl", "en"]
    # online, no country
    return ["en"] if r < 0.7 else ["en", "nl"]


def pick_leadership(rng: random.Random, fmt: str) -> str:
    r = rng.random()
    if fmt in ("therapy_group", "art_therapy_psychodrama"):
        return "professional"
    if fmt == "talk_group":
        return "peer"
    if fmt == "support_group":
        return "peer" if r < 0.7 else "professional"
    if fmt == "workshop":
        return "professional"  # seed 002: workshops are led by professionals
    if fmt == "wellness_retreat":
        return "trained" if r < 0.6 else "professional"
    return "trained"  # personal_development


def pick_topics(rng: random.Random, fmt: str, deck: Deck) -> list[str]:
    first = rng.choice(RETREAT_TOPICS) if fmt == "wellness_retreat" else deck.draw()
    topics = [first]
    related = list(RELATED[first])
    rng.shuffle(related)
    if related and rng.random() < 0.45:
        topics.append(related[0])
        if rng.random() < 0.3:
            topics.append(related[1])
    return topics


def pick_sizes(rng: random.Random, fmt: str) -> tuple[str, str]:
    if rng.random() < 0.08:
        return "", ""
    lo, hi = SIZES[fmt]
    size_min = max(2, lo + rng.randint(-1, 2))
    size_max = max(size_min + 2, hi + rng.randint(-3, 2))
    return str(size_min), str(size_max)


def pick_drop_in(rng: random.Random, fmt: str, commitment: str) -> str:
    chance = {
        "talk_group": 0.85,
        "support_group": 0.5,
        "workshop": 0.3 if commitment == "one_off" else 0.0,
        "personal_development": 0.2 if commitment == "one_off" else 0.0,
    }.get(fmt, 0.0)
    return "yes" if rng.random() < chance else "no"


def pick_cost(rng: random.Random, fmt: str, leadership: str) -> str:
    if rng.random() < 0.07:
        return ""
    if fmt == "wellness_retreat":
        return str(rng.randrange(180, 451, 10))
    if leadership == "peer":
        return "0" if rng.random() < 0.85 else str(rng.choice((2, 3, 5)))
    if fmt == "workshop" and rng.random() < 0.2:
        return "0"  # e.g. offered free by a city or health insurer
    if leadership == "trained":
        return str(rng.randrange(15, 41, 5))
    if fmt == "art_therapy_psychodrama":
        return str(rng.randrange(20, 51, 5))
    if fmt == "support_group":
        return str(rng.randrange(5, 21, 5))
    return str(rng.randrange(25, 61, 5))


#: Sessions of series, one-off dates and stays in the sample fall from here on.
SCHEDULE_START = dt.date(2027, 1, 4)
_CODES = ("MO", "TU", "WE", "TH", "FR", "SA")
_ORDINAL_CODES = ("1", "2", "3", "-1")


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def make_schedule(
    rng: random.Random, lang: Lang, commitment: str, aux: random.Random
) -> dict[str, str]:
    """The schedule columns of a group: the structured ones (rrule, start_time, end_time,
    first_date, last_date, cost_unit) and the free text, which only the groups without
    structure keep (about one in eight ongoing groups).

    ``rng`` draws exactly what it drew before the columns existed, so the rest of the
    catalog stays the same; ``aux`` (one per group) draws the dates.
    """
    wd = rng.choice(WEEKDAYS[lang][:5])
    time = rng.choice(TIMES)
    day = WEEKDAYS[lang].index(wd)
    week = dt.timedelta(weeks=aux.randrange(12))
    text, columns = _schedule(rng, lang, commitment, wd, time)
    free_text_only = commitment == "ongoing" and aux.random() < 0.12
    if free_text_only:
        return {"schedule": text}
    first = columns.pop("first_weekday", None)
    if first is not None:
        columns["first_date"] = _on_or_after(SCHEDULE_START + week, int(first)).isoformat()
        if "stay_days" in columns:
            days = int(columns.pop("stay_days"))
            last = dt.date.fromisoformat(columns["first_date"]) + dt.timedelta(days=days - 1)
            columns["last_date"] = last.isoformat()
    columns.setdefault("rrule", "")
    columns = {key: value.replace("{code}", _CODES[day]) for key, value in columns.items()}
    return {"schedule": "", **columns}


def _times(span: str) -> dict[str, str]:
    start, end = span.split("-")
    return {"start_time": start, "end_time": end}


def _schedule(
    rng: random.Random, lang: Lang, commitment: str, wd: str, time: str
) -> tuple[str, dict[str, str]]:
    """The free text of a schedule and its columns (``first_weekday``: the first date is
    the first such weekday of a week after SCHEDULE_START; ``{code}``: the weekday's)."""
    weekday = str(WEEKDAYS[lang].index(wd))
    if commitment == "residential":
        days = rng.choice((2, 3, 5))
        if days == 2:
            return {
                "nl": "Weekend: vrijdag 18:00 tot zondag 16:00",
                "fr": "Week-end : du vendredi 18:00 au dimanche 16:00",
                "en": "Weekend: Friday 18:00 to Sunday 16:00",
            }[lang], {
                "first_weekday": "4",
                "stay_days": "3",
                "start_time": "18:00",
                "end_time": "16:00",
                "cost_unit": "stay",
            }
        return {
            "nl": f"{days} dagen met overnachting, aankomst {wd} 10:00",
            "fr": f"{days} jours en résidentiel, arrivée le {wd} à 10:00",
            "en": f"{days} residential days, arriving {wd} 10:00",
        }[lang], {
            "first_weekday": weekday,
            "stay_days": str(days),
            "start_time": "10:00",
            "end_time": "16:00",
            "cost_unit": "stay",
        }
    if commitment == "one_off":
        sat = WEEKDAYS[lang][5]
        if rng.random() < 0.5:
            day_time = rng.choice(DAY_TIMES)
            return {
                "nl": f"Eenmalig op {sat}, {day_time}",
                "fr": f"Séance unique le {sat}, {day_time}",
                "en": f"One-off session on a {sat}, {day_time}",
            }[lang], {"first_weekday": "5", **_times(day_time)}
        time = rng.choice(EVENING_TIMES)
        return {
            "nl": f"Eenmalige avond op {wd}, {time}",
            "fr": f"Soirée unique un {wd}, {time}",
            "en": f"Single evening on a {wd}, {time}",
        }[lang], {"first_weekday": weekday, **_times(time)}
    if commitment == "series":
        n = rng.choice((6, 8, 10, 12))
        return {
            "nl": f"{n} wekelijkse sessies op {wd}, {time}",
            "fr": f"{n} séances hebdomadaires le {wd}, {time}",
            "en": f"{n} weekly sessions on {wd}s, {time}",
        }[lang], {
            "rrule": f"FREQ=WEEKLY;BYDAY={{code}};COUNT={n}",
            "first_weekday": weekday,
            **_times(time),
        }
    style = rng.randrange(3)
    if style == 0:
        return {
            "nl": f"Elke {wd}, {time}",
            "fr": f"Chaque {wd}, {time}",
            "en": f"Every {wd}, {time}",
        }[lang], {"rrule": "FREQ=WEEKLY;BYDAY={code}", **_times(time)}
    if style == 1:
        ordinal = rng.choice(ORDINALS[lang])
        code = _ORDINAL_CODES[ORDINALS[lang].index(ordinal)]
        return {
            "nl": f"Elke {ordinal} {wd} van de maand, {time}",
            "fr": f"Le {ordinal} {wd} du mois, {time}",
            "en": f"Every {ordinal} {wd} of the month, {time}",
        }[lang], {"rrule": f"FREQ=MONTHLY;BYDAY={code}{{code}}", **_times(time)}
    return {
        "nl": f"Om de twee weken op {wd}, {time}",
        "fr": f"Un {wd} sur deux, {time}",
        "en": f"Every other {wd}, {time}",
    }[lang], {"rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY={code}", **_times(time)}


def make_name(
    rng: random.Random, fmt: str, topic: str, lang: Lang, city: str, taken: set[str]
) -> str:
    for _ in range(50):
        kind = rng.choice(KINDS[lang][fmt])
        house = rng.choice(HOUSES[lang])
        word = TOPIC_WORDS[lang][topic]
        style = rng.randrange(3)
        if lang == "nl":
            if fmt == "talk_group" and topic == "grief" and rng.random() < 0.6:
                kind, word = "Rouwcafé", ""
            if style == 0 and word:
                name = f"{kind} {word} {house}"
            elif style == 1 and word and city:
                name = f"{kind} {word} {city}"
            else:
                name = f"{kind} {house}"
        elif lang == "fr":
            if fmt == "talk_group" and topic == "grief" and rng.random() < 0.6:
                kind, word = "Café-deuil", ""
            with_city = style == 0 and word and city
            name = f"{kind} {word} - {city}" if with_city else f"{kind} {house}"
        elif style == 0 and city:
            name = f"{word} {kind} {city}"
        elif style == 1:
            name = f"{house} {word} {kind}"
        else:
            name = f"{house} {kind}" + (f" {city}" if city else " Online")
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError(f"could not find a free name for {fmt}/{topic}/{lang}")


def make_audience(rng: random.Random, topic: str, lang: Lang) -> Audience:
    specific = TOPIC_AUDIENCES[lang].get(topic)
    if specific and rng.random() < 0.7:
        return rng.choice(specific)
    return rng.choice(GENERAL_AUDIENCES[lang])


def french_contractions(text: str) -> str:
    """'de le deuil' -> 'du deuil', 'à les troubles' -> 'aux troubles'."""
    for long, short in (
        (" de le ", " du "),
        (" à le ", " au "),
        (" de les ", " des "),
        (" à les ", " aux "),
    ):
        text = text.replace(long, short)
    return text


def make_description(
    rng: random.Random,
    fmt: str,
    leadership: str,
    topic: str,
    lang: Lang,
    setting: Setting,
    drop_in: str,
) -> str:
    key = "support_group_pro" if fmt == "support_group" and leadership == "professional" else fmt
    templates = DESCRIPTIONS[lang][key]
    if fmt == "talk_group" and drop_in == "no":
        templates = templates[1:]  # the first talk-group text promises drop-in
    text = rng.choice(templates).format(topic=TOPIC_PHRASES[lang][topic])
    text = french_contractions(text) if lang == "fr" else text
    text = text[0].upper() + text[1:]
    if setting == "online":
        text += {
            "nl": " Online via videogesprek.",
            "fr": " En ligne, par visio.",
            "en": " Online by video call.",
        }[lang]
    elif setting == "hybrid":
        text += {
            "nl": " Ter plaatse of online.",
            "fr": " Sur place ou en ligne.",
            "en": " On site or online.",
        }[lang]
    return f"{text} {FICTIONAL[lang]}"


def make_last_verified(rng: random.Random, stale: bool) -> str:
    if stale:
        start, end = dt.date(2024, 6, 1), dt.date(2025, 11, 20)  # stale: over a year old
    else:
        start, end = dt.date(2025, 11, 22), dt.date(2026, 11, 1)
    return dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal())).isoformat()


def phone_for(rng: random.Random, number: int, country: str) -> str:
    """A clearly non-dialable fictional number for about a quarter of the groups."""
    if rng.random() >= 0.25:
        return ""
    if country == "NL":
        return f"+31 00 000 {number % 10000:04d}"
    return f"+32 00 000 {number // 100 % 100:02d} {number % 100:02d}"


@dataclass(frozen=True)
class Anchor:
    """A group chosen rather than drawn: what a real directory lists in a town of that size."""

    town: str
    format: str
    topics: tuple[str, ...]
    leadership: str
    languages: tuple[Lang, ...]
    audience: Audience
    cost_eur: str = "0"
    drop_in: str = "no"
    setting: Setting = "in_person"


#: The random groups above leave gaps that no real region has: no grief support group in
#: Gent, no group for relatives of people with an addiction in Antwerpen. These fill them,
#: the way directories such as the self-help databases list them (still fictional groups).
ANCHORS: tuple[Anchor, ...] = (
    Anchor("Gent", "support_group", ("grief",), "peer", ("nl",), _a("Nabestaanden", "self")),
    Anchor(
        "Brugge",
        "talk_group",
        ("grief", "loneliness"),
        "peer",
        ("nl",),
        _a("55-plussers die hun partner verloren", "self", (55, None)),
        drop_in="yes",
    ),
    Anchor(
        "Antwerpen",
        "support_group",
        ("addiction", "family_carer"),
        "peer",
        ("nl",),
        _a("Naasten van iemand met een verslaving", "relatives"),
    ),
    Anchor(
        "Hasselt",
        "support_group",
        ("addiction",),
        "peer",
        ("nl",),
        _a("Mensen in herstel van een verslaving", "self", ADULTS),
        drop_in="yes",
    ),
    Anchor(
        "Leuven",
        "support_group",
        ("toxic_relationship", "self_esteem"),
        "professional",
        ("nl",),
        _a("Vrouwen na een controlerende relatie", "self", only=("women",)),
        cost_eur="10",
    ),
    Anchor(
        "Schaerbeek",
        "therapy_group",
        ("burnout", "depression"),
        "professional",
        ("fr",),
        _a("Adultes en épuisement professionnel", "self", ADULTS),
        cost_eur="35",
    ),
    Anchor(
        "Mechelen",
        "talk_group",
        ("family_carer",),
        "peer",
        ("nl",),
        _a("Mantelzorgers van iemand met dementie"),
        drop_in="yes",
    ),
    Anchor(
        "Gent",
        "art_therapy_psychodrama",
        ("trauma", "anxiety"),
        "professional",
        ("nl", "en"),
        _a("Volwassenen na een trauma", "self", ADULTS),
        cost_eur="35",
    ),
)


# --- generation ---------------------------------------------------------------------------


def build_rows(rng: random.Random) -> list[dict[str, str]]:
    format_deck = Deck(rng, NON_RETREAT)
    topic_deck = Deck(rng, TOPICS)
    taken: set[str] = set()
    rows: list[dict[str, str]] = []

    def add(
        fmt: str, setting: Setting, town: Town | None, country: str, anchor: Anchor | None = None
    ) -> None:
        number = len(rows) + 1
        gid = f"gf-{number:04d}"
        region: Region | None = None
        if town is not None:
            region = town.region
        elif country == "BE":
            region = "brussels" if rng.random() < 0.35 else "flanders"
        elif country == "NL":
            region = "netherlands"
        languages = list(anchor.languages) if anchor else pick_languages(rng, region)
        lang = languages[0]
        leadership = anchor.leadership if anchor else pick_leadership(rng, fmt)
        topics = list(anchor.topics) if anchor else pick_topics(rng, fmt, topic_deck)
        commitment = rng.choice(COMMITMENTS[fmt])
        size_min, size_max = pick_sizes(rng, fmt)
        drop_in = pick_drop_in(rng, fmt, commitment)
        city = town.name(lang) if town else ""
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            id=gid,
            name=make_name(rng, fmt, topics[0], lang, city, taken),
            format=fmt,
            topics=";".join(topics),
            leadership=leadership,
            size_min=size_min,
            size_max=size_max,
            setting=setting,
            drop_in=drop_in,
            country=country,
            languages=";".join(languages),
            **make_schedule(rng, lang, commitment, random.Random(f"{SEED}-schedule-{gid}")),
            cost_eur=pick_cost(rng, fmt, leadership),
            contact_phone=phone_for(rng, number, country),
            contact_email=f"info-{number:04d}@example.org",
            website=f"https://example.org/groups/{gid}",
            wheelchair="unknown",
            description=make_description(rng, fmt, leadership, topics[0], lang, setting, drop_in),
            last_verified="",
        )
        audience = anchor.audience if anchor else make_audience(rng, topics[0], lang)
        if anchor is not None:
            row.update(cost_eur=anchor.cost_eur, drop_in=anchor.drop_in)
        row.update(
            audience=audience.text,
            for_whom=audience.for_whom,
            age_min="" if audience.age_min is None else str(audience.age_min),
            age_max="" if audience.age_max is None else str(audience.age_max),
            restricted_to=";".join(audience.restricted_to),
        )
        if town is not None:
            street_lang: Lang = "fr" if lang != "nl" and town.region == "brussels" else "nl"
            street = rng.choice(STREETS[street_lang])
            lat, lon = jitter(rng, town.lat, town.lon, 1.2)
            row.update(
                address=f"{street} {rng.randint(1, 180)}",
                postcode=town.postcode,
                city=city,
                latitude=f"{lat:.5f}",
                longitude=f"{lon:.5f}",
                wheelchair=rng.choices(("yes", "no", "unknown"), (5, 2, 3))[0],
            )
        rows.append(row)

    for town in TOWNS:
        for i in range(town.groups):
            if town.rural and (i < 2 or rng.random() < 0.5):
                fmt = "wellness_retreat"
            else:
                fmt = format_deck.draw()
            hybrid = fmt != "wellness_retreat" and rng.random() < 0.26
            add(fmt, "hybrid" if hybrid else "in_person", town, town.country)

    online_total = round(len(rows) * 0.18)
    for _ in range(online_total):
        country = rng.choices(("BE", "NL", ""), (45, 40, 15))[0]
        add(format_deck.draw(), "online", None, country)

    towns = {t.name_fr: t for t in TOWNS} | {t.name_nl: t for t in TOWNS}
    for anchor in ANCHORS:
        town = towns[anchor.town]
        add(anchor.format, anchor.setting, town, town.country, anchor)

    # Exactly one in ten entries was last verified over a year ago ("stale").
    stale = set(rng.sample(range(len(rows)), round(len(rows) * 0.10)))
    for index, row in enumerate(rows):
        row["last_verified"] = make_last_verified(rng, index in stale)
    return rows


def write_csv(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the CSV")
    args = parser.parse_args(argv)
    out: Path = args.out
    rows = build_rows(random.Random(SEED))
    write_csv(rows, out)
    print(f"wrote {len(rows)} fictional sample groups to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

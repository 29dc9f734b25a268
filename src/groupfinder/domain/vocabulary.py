"""The words of the public contract (DESIGN.md, contracts 1 and 3), declared once.

Plain Python, no pydantic: the app's first screen can use them without loading the models.
"""

from __future__ import annotations

from typing import Literal, get_args

from groupfinder.domain.i18n import N_

Language = Literal["nl", "fr", "en"]
Need = Literal["therapy", "creativity", "rest", "recognition", "learning", "growth"]
GroupSize = Literal["small", "medium", "large", "no_preference"]
Leadership = Literal["professional", "trained", "peer"]
LeadershipPref = Literal["professional", "trained", "peer", "no_preference"]
Structure = Literal["structured", "mixed", "open"]
StructurePref = Literal["structured", "open", "no_preference"]
Commitment = Literal["one_off", "series", "ongoing", "residential"]
CommitmentPref = Literal["one_off", "series", "ongoing", "residential", "no_preference"]
Setting = Literal["in_person", "online", "hybrid"]
SettingPref = Literal[
    "in_person_only", "prefer_in_person", "prefer_online", "online_only", "no_preference"
]
#: How the person is doing right now (answers version 2): thoughts about not wanting to
#: live, or in danger now, both bring crisis help first and professional help first.
Risk = Literal["none", "thoughts", "acute"]
ForWhom = Literal["self", "someone_close"]
AgeBand = Literal["under_18", "18_25", "26_54", "55_plus"]
#: Who a group is for (groups.csv version 2): the person themselves, their relatives, or both.
GroupFor = Literal["self", "relatives", "both"]
Country = Literal["BE", "NL"]
Wheelchair = Literal["yes", "no", "unknown"]

LANGUAGES: tuple[Language, ...] = get_args(Language)
NEEDS: tuple[Need, ...] = get_args(Need)
LEADERSHIPS: tuple[Leadership, ...] = get_args(Leadership)
SETTINGS: tuple[Setting, ...] = get_args(Setting)
COMMITMENTS: tuple[Commitment, ...] = get_args(Commitment)
GROUP_FOR: tuple[GroupFor, ...] = get_args(GroupFor)
FORMAT_IDS = (
    "therapy_group",
    "support_group",
    "workshop",
    "wellness_retreat",
    "art_therapy_psychodrama",
    "personal_development",
    "talk_group",
)

#: Group sizes a person can prefer, as inclusive ranges of participants.
SIZE_RANGES: dict[GroupSize, tuple[int, int]] = {
    "small": (1, 8),
    "medium": (9, 15),
    "large": (16, 10_000),
}

#: The ages each band covers, inclusive (an age band fits a group whose range overlaps it).
AGE_RANGES: dict[AgeBand, tuple[int, int]] = {
    "under_18": (0, 17),
    "18_25": (18, 25),
    "26_54": (26, 54),
    "55_plus": (55, 150),
}

#: The name of each language, to be translated into the reader's language ("Dutch", "Nederlands",
#: "néerlandais"); HSDS exports take the English ones.
LANGUAGE_WORDS: dict[Language, str] = {"nl": N_("Dutch"), "fr": N_("French"), "en": N_("English")}
#: Each language's name for itself: what a language picker shows, whatever the current language.
ENDONYMS: dict[Language, str] = {"nl": "Nederlands", "fr": "Français", "en": "English"}

"""Texts written for the corroboration tests: one report syndicated by ten outlets (headlines
reworded, boilerplate added, paragraphs trimmed) and unrelated reports on the same topic."""

from __future__ import annotations

ORIGINAL_PARAGRAPHS = [
    "Police in Petrozavodsk detained 40 migrants from Somalia during a raid on a construction site "
    "on 14 November 2023, according to two of the men's relatives and a lawyer who later spoke to them.",
    "The men were taken to the temporary detention centre for foreign nationals on the outskirts of "
    "the city, where officers in uniform told them that a court would order their expulsion unless "
    "they agreed to sign a contract with the defence ministry.",
    "One of the detainees, a 24-year-old who asked not to be named, said that a man who introduced "
    "himself as a recruiter came to the centre twice and handed out printed contracts in Russian, "
    "which none of the Somalis could read.",
    "The lawyer said that at least a dozen of the men had valid work permits and that the raid had "
    "been announced in advance to local journalists working for state television.",
    "The regional interior ministry did not respond to a request for comment. A spokesman for the "
    "migration service said that checks of construction sites were routine and had nothing to do "
    "with military service.",
    "Human rights groups have documented similar cases in the Murmansk and Leningrad regions since "
    "the autumn, when the number of detentions of Africans in the north-west rose sharply.",
]
ORIGINAL_TITLE = "Forty Somali migrants detained in Petrozavodsk and pressed to sign army contracts"

HEADLINES = [
    "Somalis held in Karelia told: sign up or be expelled",
    "Petrozavodsk raid: 40 Somali migrants detained, offered army contracts",
    "Karelia police detain forty Somalis, recruiters visit detention centre",
    "Migrants from Somalia pressured to join Russian army after Petrozavodsk raid",
    "Recruiters target detained Somalis in Petrozavodsk, relatives say",
    "Forty detained Somalis urged to sign defence ministry contracts",
    "In Karelia, detained migrants offered war instead of deportation",
    "Petrozavodsk: construction site raid ends with army contract offers",
    "Somali men detained in northern Russia face recruiters",
    "Report: migrants in Karelian detention centre pressed to enlist",
]
BOILERPLATE = [
    ("Subscribe to our channel for the latest news from the north-west.", "All rights reserved. Reprinting "
     "is allowed only with an active link to the source."),
    ("Northern Courier | Society | 15 November 2023", "Share this article: Telegram, VK, email."),
    ("Breaking", "If you have information about this story, write to our editors."),
    ("Regional news digest", "Read also: winter road closures in the republic."),
    ("", "Advertisement. Cheap flights to Saint Petersburg all year round."),
]


def syndicated_copies() -> list[tuple[str, str]]:
    """(title, text) of ten copies: each with its own headline and boilerplate, some trimmed."""
    copies = []
    for i, headline in enumerate(HEADLINES):
        header, footer = BOILERPLATE[i % len(BOILERPLATE)]
        paragraphs = list(ORIGINAL_PARAGRAPHS)
        if i % 3 == 1:
            paragraphs = paragraphs[:-1]  # the last paragraph trimmed
        elif i % 3 == 2:
            paragraphs = paragraphs[:-2]  # the last two trimmed
        if i % 4 == 3:
            paragraphs[0] = paragraphs[0].replace("according to", "as reported by")
        copies.append((headline, "\n\n".join(p for p in [header, headline, *paragraphs, footer] if p)))
    return copies


UNRELATED_REPORTS = [
    ("Court in Kandalaksha fines Uzbek worker",
     "A court in Kandalaksha fined a citizen of Uzbekistan 2,000 roubles on 3 December 2023 for working "
    "without a patent. The man told the judge that he had been stopped at a bus station and taken to the "
    "police, where officers asked whether he had ever thought about serving in the army. The court "
    "ordered no expulsion. His employer, a bakery, said it would pay the fine."),
    ("Raids at Murmansk markets",
     "Police and officers of the enlistment office checked the documents of more than 300 people at two "
    "markets in Murmansk on 20 November 2023. Eleven new citizens who had not registered for military "
    "service were handed summonses on the spot, the regional news site reported, quoting witnesses who "
    "saw the men being led to a minibus."),
    ("Leningrad oblast detention centre overcrowded",
     "Lawyers working with foreigners in the Leningrad region say that the special detention centre in "
    "Krasnoye Selo held almost twice as many people as it was built for in early December 2023. Most of "
    "them are waiting for deportation to Central Asia; several said that visitors in military uniform "
    "had offered to cancel their expulsion in exchange for a year at the front."),
]

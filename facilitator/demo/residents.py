"""Who the simulated phones are, and what they say. Invented, but typical of a 廣場夜話."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Resident:
    name: str
    building: str
    category: str = "居民"


RESIDENTS: tuple[Resident, ...] = (
    Resident("張伯", "1號樓"),
    Resident("王阿姨", "1號樓"),
    Resident("李叔", "1號樓", "樓棟長"),
    Resident("趙奶奶", "2號樓"),
    Resident("陳先生", "2號樓"),
    Resident("劉女士", "2號樓"),
    Resident("黃師傅", "3號樓", "樓棟長"),
    Resident("周老師", "3號樓"),
    Resident("吳大姐", "3號樓"),
    Resident("鄭阿公", "3號樓"),
    Resident("孫小妹", "4號樓"),
    Resident("馬叔叔", "4號樓"),
    Resident("朱阿婆", "4號樓"),
    Resident("胡經理", "4號樓", "物業公司"),
    Resident("郭醫生", "5號樓"),
    Resident("林同學", "5號樓"),
    Resident("何大爺", "5號樓"),
    Resident("高工", "5號樓", "設計院"),
    Resident("羅姐", "6號樓"),
    Resident("梁伯伯", "6號樓", "業委會"),
    Resident("宋阿姨", "6號樓"),
    Resident("謝先生", "6號樓"),
    Resident("韓奶奶", "2號樓"),
    Resident("唐書記", "1號樓", "居委會"),
)

ISSUES: tuple[str, ...] = (
    "一樓住戶採光怎麼辦？電梯井會擋住窗戶",
    "費用怎麼分攤？高層和低層出一樣的錢不公平",
    "電梯費用分攤比例要先說清楚",
    "施工期間老人上下樓怎麼辦",
    "以後電梯的維修保養費誰來出",
    "電動車沒地方充電，樓道裡亂拉電線很危險",
    "3號樓門口的路燈壞了一個月了",
)

OPINIONS: tuple[tuple[str, str], ...] = (
    ("for", "我八十歲了，每天爬六樓，電梯是救命的"),
    ("against", "一樓沒有好處還要受影響，應該給補償"),
    ("neutral", "先把費用和補償方案算清楚再投票"),
)

"""The initial vocabularies, loaded by a data migration and by the demo loader."""

INDUSTRY_FIELDS = [
    ("ic", "集成电路", "Integrated circuits"),
    ("life-health", "生命健康/生物医药", "Life health and biomedicine"),
    ("nev", "新能源汽车", "New-energy vehicles"),
    ("beidou", "北斗导航/卫星应用", "BeiDou navigation and satellite applications"),
    ("rail", "轨道交通", "Rail transit"),
    ("laser", "先进激光/光电", "Advanced lasers and optoelectronics"),
    ("network", "通信与未来网络", "Communications and future networks"),
    ("materials", "膜材料/化工新材料", "Membranes and new chemical materials"),
    ("environment", "环保", "Environmental protection"),
    ("software", "软件", "Software"),
    ("smart-grid", "智能电网", "Smart grid"),
    ("iot", "物联网", "Internet of Things"),
    ("manufacturing", "智能制造", "Intelligent manufacturing"),
    ("agriculture", "现代农业", "Modern agriculture"),
    ("other", "其他领域", "Other fields"),
]

DEAL_MODES = [
    ("assignment", "转让", "Assignment"),
    ("license-exclusive", "独占许可", "Exclusive licence"),
    ("license-sole", "排他许可", "Sole licence"),
    ("license-ordinary", "普通许可", "Ordinary licence"),
    ("open-license", "开放许可", "Open licence"),
    ("equity", "作价投资", "Contribution as equity"),
    ("development", "技术开发", "Technology development"),
    ("service", "技术服务", "Technical service"),
    ("consulting", "技术咨询", "Technical consulting"),
]

# discipline -> category, the 67 disciplines of CSL / FewCLUE CSLDCP.
DISCIPLINES = {
    "军事学": "军事学",
    "兵器科学与技术": "工学", "水利工程": "工学", "石油与天然气工程": "工学", "食品科学与工程": "工学",
    "电气工程": "工学", "农业工程": "工学", "环境科学与工程": "工学", "核科学与技术": "工学",
    "材料科学与工程": "工学", "交通运输工程": "工学", "土木工程": "工学", "电子科学与技术": "工学",
    "计算机科学与技术": "工学", "化学/化学工程与技术": "工学", "纺织科学与工程": "工学",
    "信息与通信工程": "工学", "动力工程及工程热物理": "工学", "力学": "工学", "船舶与海洋工程": "工学",
    "建筑学": "工学", "光学工程": "工学", "机械工程": "工学", "冶金工程": "工学", "测绘科学与技术": "工学",
    "航空宇航科学与技术": "工学", "矿业工程": "工学", "控制科学与工程": "工学",
    "园艺学": "农学", "作物学": "农学", "水产": "农学", "林学/林业工程": "农学", "畜牧学/兽医学": "农学",
    "农业资源利用": "农学", "植物保护": "农学",
    "中医学/中药学": "医学", "口腔医学": "医学", "药学": "医学", "基础医学/临床医学": "医学",
    "公共卫生与预防医学": "医学",
    "历史学": "历史学", "哲学": "哲学",
    "教育学": "教育学", "心理学": "教育学", "体育学": "教育学",
    "新闻传播学": "文学", "中国语言文学": "文学",
    "政治学": "法学", "民族学": "法学", "法学": "法学", "社会学": "法学",
    "地理学": "理学", "地质学/地质资源与地质工程": "理学", "海洋科学": "理学", "大气科学": "理学",
    "数学": "理学", "生物学/生物科学与工程": "理学", "物理学": "理学", "地球物理学": "理学", "天文学": "理学",
    "公共管理": "管理学", "农林经济管理": "管理学", "图书馆、情报与档案管理": "管理学", "工商管理": "管理学",
    "理论经济学": "经济学", "应用经济学": "经济学",
    "艺术学": "艺术学",
}

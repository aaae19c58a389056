"""The demo company: its regions, projects and the story each project tells.

Every chart of the dashboard is fed by these parameters, so each project is given a
distinct, recognisable behaviour (a star, a slow one, one that worsens lately, ...).
Dates in the stories are relative to the end of the data window, so a different
``--end`` keeps the same stories.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Project:
    name: str
    region: str
    weight: float  # share of the customer base (relative)
    monthly_churn: float  # base monthly churn hazard of an active customer
    one_time_share: float  # new customers who buy once and never return
    amount_median: float  # median order amount, CNY
    complaint_rate: float  # relative complaint propensity per order
    resolution_speed: float  # multiplier on resolution time (>1 = slower)
    response_speed: float  # multiplier on first-response time (>1 = slower)
    csat_base: float  # latent satisfaction level at the window start
    csat_drift_per_year: float
    diligence_start: float  # monthly VIP revisit probability when the programme starts
    diligence_end: float  # ... and at the end of the window (linear in between)
    opens_days_before_end: int | None = None  # a project handed over during the window
    worsens_days_before_end: int | None = None  # service breaks down in the recent months
    staff: tuple[str, ...] = ()


# The VIP revisit programme (and its call log) starts this many months before the end month.
VIP_PROGRAMME_MONTHS = 7

PROJECTS: tuple[Project, ...] = (
    # 华东区: the flagship (best service), an improving one, an average one, an English name
    Project(
        "上海·静安府",
        "华东区",
        1.4,
        0.020,
        0.18,
        420,
        0.8,
        0.7,
        0.6,
        4.45,
        0.00,
        0.95,
        0.97,
        staff=("王静", "陈晓燕"),
    ),  # fmt: skip
    Project(
        "杭州·西溪里",
        "华东区",
        1.0,
        0.028,
        0.22,
        360,
        1.0,
        0.9,
        0.9,
        3.85,
        0.30,
        0.85,
        0.90,
        staff=("刘洋", "周婷"),
    ),  # fmt: skip
    Project(
        "苏州·金鸡湖畔",
        "华东区",
        0.8,
        0.030,
        0.25,
        330,
        1.0,
        1.0,
        1.0,
        4.05,
        0.00,
        0.80,
        0.80,
        staff=("吴磊",),
    ),  # fmt: skip
    Project(
        "Lakeside Villas",
        "华东区",
        0.5,
        0.025,
        0.20,
        560,
        0.9,
        0.9,
        0.8,
        4.20,
        -0.05,
        0.88,
        0.88,
        staff=("Emily Zhang",),
    ),  # fmt: skip
    # 华南区: the big one that has been worsening lately, a slowly declining one, a small one
    Project(
        "深圳·湾区中心",
        "华南区",
        1.3,
        0.024,
        0.22,
        450,
        1.0,
        1.0,
        1.0,
        4.20,
        0.00,
        0.90,
        0.75,
        worsens_days_before_end=110,
        staff=("黄志强", "林美玲", "郑浩"),
    ),  # fmt: skip
    Project(
        "广州·珠江新城",
        "华南区",
        1.0,
        0.030,
        0.24,
        380,
        1.1,
        1.1,
        1.0,
        4.15,
        -0.20,
        0.78,
        0.74,
        staff=("梁嘉欣", "何俊"),
    ),  # fmt: skip
    Project(
        "佛山·千灯湖",
        "华南区",
        0.6,
        0.034,
        0.28,
        300,
        1.2,
        1.1,
        1.2,
        3.95,
        0.00,
        0.70,
        0.72,
        staff=("冯丽",),
    ),  # fmt: skip
    # 华北区: slow complaint handling in Beijing
    Project(
        "北京·朝阳公馆",
        "华北区",
        1.1,
        0.032,
        0.24,
        480,
        1.2,
        1.7,
        1.5,
        3.75,
        -0.05,
        0.80,
        0.82,
        staff=("张伟", "李娜"),
    ),  # fmt: skip
    Project(
        "天津·海河湾",
        "华北区",
        0.7,
        0.036,
        0.28,
        310,
        1.1,
        1.3,
        1.2,
        3.90,
        0.05,
        0.68,
        0.70,
        staff=("赵敏",),
    ),  # fmt: skip
    # 华中区: a project handed over to its owners during the window (a wave of new customers)
    Project(
        "武汉·光谷天地",
        "华中区",
        0.9,
        0.030,
        0.24,
        340,
        1.0,
        1.0,
        1.0,
        4.00,
        0.10,
        0.82,
        0.86,
        staff=("孙鹏", "胡雪"),
    ),  # fmt: skip
    Project(
        "长沙·梅溪湖",
        "华中区",
        0.7,
        0.026,
        0.20,
        360,
        1.3,
        1.2,
        1.1,
        3.80,
        0.35,
        0.75,
        0.88,
        opens_days_before_end=450,
        staff=("罗丹",),
    ),  # fmt: skip
    # 西部区: a new manager lifts VIP revisits in Chengdu; Xi'an's revisits stay patchy
    Project(
        "成都·天府新城",
        "西部区",
        1.0,
        0.028,
        0.22,
        350,
        1.0,
        1.0,
        0.9,
        4.10,
        0.05,
        0.55,
        0.95,
        staff=("杨帆", "唐晓"),
    ),  # fmt: skip
    Project(
        "重庆·江北嘴",
        "西部区",
        0.8,
        0.030,
        0.25,
        320,
        1.0,
        1.1,
        1.1,
        4.00,
        0.00,
        0.78,
        0.80,
        staff=("邓超",),
    ),  # fmt: skip
    Project(
        "西安·曲江池",
        "西部区",
        0.6,
        0.034,
        0.27,
        300,
        1.1,
        1.2,
        1.3,
        3.85,
        -0.10,
        0.60,
        0.58,
        staff=("韩雪",),
    ),  # fmt: skip
)

# The region whose ERP exports orders as Parquet (a different system from the others).
PARQUET_ORDER_REGION = "华北区"
# The project whose customers come from an acquired system that writes VIP/普通 booleans.
LEGACY_BOOLEAN_PROJECT = "长沙·梅溪湖"

COMPLAINT_CATEGORIES = ("维修", "保洁", "安保", "停车", "收费", "噪音", "绿化", "服务态度")
CATEGORY_WEIGHTS = (0.27, 0.14, 0.09, 0.14, 0.12, 0.10, 0.06, 0.08)
SUMMER_BOOST = (1.6, 1.0, 1.0, 1.0, 1.0, 1.6, 1.3, 1.0)  # June-August: leaks, AC, noise
CATEGORY_RESOLUTION = (1.5, 0.7, 0.8, 0.9, 1.4, 1.0, 0.9, 0.8)
CATEGORY_URGENT = (0.30, 0.10, 0.45, 0.20, 0.05, 0.20, 0.05, 0.10)  # share 紧急/重大

SEVERITIES = ("一般", "紧急", "重大")
CHANNELS = ("热线", "前台", "线上", "意见箱", "APP")
CHANNEL_WEIGHTS = (0.40, 0.25, 0.20, 0.15)  # before the APP; the APP then takes a growing share
APP_LAUNCH_DAYS_BEFORE_END = 600
APP_FINAL_SHARE = 0.35

COMPLAINT_TEXTS = {
    "维修": ("卫生间漏水，已报修两次仍未处理", "电梯经常停运", "空调外机噪音大，要求检修",
             "楼道灯坏了一周", "厨房下水道堵塞", "门禁系统失灵"),
    "保洁": ("垃圾未及时清运，有异味", "楼道卫生差", "地下车库积水未清理"),
    "安保": ("陌生人随意进出小区", "夜间巡逻不到位", "快递被盗，要求调取监控"),
    "停车": ("车位被他人占用", "停车费上涨未提前通知", "地库照明不足"),
    "收费": ("物业费账单有误", "多收了水电公摊费用", "发票迟迟未开"),
    "噪音": ("楼上装修噪音，周末也施工", "广场舞音乐太吵", "夜间施工扰民"),
    "绿化": ("草坪长期无人修剪", "树木遮挡采光，要求修剪"),
    "服务态度": ("前台人员态度差", "电话无人接听", "维修师傅迟到且态度不好"),
}  # fmt: skip

SURVEY_METHODS = ("短信", "微信", "电话", "线下")
SURVEY_COMMENTS = ("", "", "", "整体满意", "希望加强安保", "保洁需改进", "维修响应太慢",
                   "服务很好，继续保持", "停车难", "管家很负责", "收费不透明")  # fmt: skip

# How each member of staff writes the contact method in the CRM (their own habit).
METHOD_HABITS = (
    ("电话", "上门拜访"),
    ("电话回访", "拜访"),
    ("phone", "visit"),
    ("call", "面访"),
    ("电话", "登门拜访"),
)
OTHER_METHODS = ("微信", "短信")
CONTACT_NOTES = ("例行月度回访", "了解近期服务感受", "跟进报修进度", "节日问候", "收集意见建议",
                 "回访投诉处理结果", "")  # fmt: skip

ORDER_SERVICES = ("维修服务", "家政保洁", "代收快递", "车位租赁", "社区团购", "装修管理", "其他")
PAY_METHODS = ("微信支付", "支付宝", "银行卡", "现金")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建波宁琳晨俊凯佳欣雪梅慧颖婷浩宇轩博文晓丹海峰亮飞子涵思雨嘉怡梓晴一诺睿泽"
# Lunar New Year (orders dip around it), for the years a window may touch.
LUNAR_NEW_YEAR = ("2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06",
                  "2028-01-26", "2029-02-13", "2030-02-03")  # fmt: skip

"""The Vietnamese words people read for the codes our data and events carry: in exported tables
(CSV, XLSX), report titles and charts. APIs and events keep the codes."""

from __future__ import annotations

from collections.abc import Mapping

LEVELS: Mapping[str, str] = {
    "commune": "Cấp xã",
    "district": "Cấp huyện",
    "provincial": "Cấp tỉnh",
    "regional": "Cấp khu vực",
    "national": "Cấp quốc gia",
}
PRODUCT_GROUPS: Mapping[str, str] = {
    "handicraft": "Thủ công mỹ nghệ",
    "agro_food": "Chế biến nông, lâm, thủy sản và thực phẩm",
    "machinery": "Thiết bị, máy móc, dụng cụ và phụ tùng cơ khí",
    "other": "Sản phẩm khác",
}
FACILITY_KINDS: Mapping[str, str] = {
    "sme": "Doanh nghiệp nhỏ và vừa",
    "cooperative": "Hợp tác xã",
    "cooperative_group": "Tổ hợp tác",
    "household_business": "Hộ kinh doanh",
}
SCHEME_KINDS: Mapping[str, str] = {
    "machinery": "Máy móc, thiết bị",
    "trade_fair": "Hội chợ, triển lãm",
    "showroom": "Phòng trưng bày",
    "training": "Đào tạo",
    "technology_transfer": "Chuyển giao công nghệ",
    "cleaner_production": "Sản xuất sạch hơn",
    "branding_packaging": "Thương hiệu, bao bì",
    "ecommerce": "Thương mại điện tử",
    "all": "Tổng cộng",
}
OUTCOMES: Mapping[str, str] = {
    "recognised": "Được công nhận",
    "not_recognised": "Không được công nhận",
    "undecided": "Chưa đủ thành viên chấm",
}
REASONS: Mapping[str, str] = {
    "below_threshold": "Dưới ngưỡng điểm",
    "outside_quota": "Ngoài số lượng được công nhận",
    "no_quorum": "Không đủ thành viên hội đồng chấm",
    "withdrawn": "Đã rút hồ sơ",
    "declined": "Hội đồng bình chọn không công nhận",
    "revoked": "Đã thu hồi",
}
YES_NO: Mapping[object, str] = {True: "Có", False: "Không"}

"""Province names in Vietnamese alphabetical order: Đ after D, tone marks not scattering."""

from __future__ import annotations

from console.domain.collation import vietnamese_key


def test_d_with_stroke_comes_after_d_and_before_e_and_marks_do_not_scatter_names() -> None:
    names = ["Yên Bái", "Đắk Lắk", "Gia Lai", "Đà Nẵng", "Điện Biên", "Cà Mau", "Đồng Tháp"]
    names += ["Bắc Ninh", "Bạc Liêu", "Bình Dương", "Ea Súp", "Dung Quất"]
    assert sorted(names, key=vietnamese_key) == [
        "Bạc Liêu",
        "Bắc Ninh",
        "Bình Dương",
        "Cà Mau",
        "Dung Quất",
        "Đà Nẵng",
        "Đắk Lắk",
        "Điện Biên",
        "Đồng Tháp",
        "Ea Súp",
        "Gia Lai",
        "Yên Bái",
    ]

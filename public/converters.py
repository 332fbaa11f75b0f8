"""Path converters of the public URLs, registered on import (public.urls, public.api.urls)."""

from django.urls import register_converter


class RegionCodeConverter:
    """An ISO 3166-2 code as a person may type it (by-vi); the page's own is upper case."""

    regex = "[A-Za-z]{2}-[A-Za-z0-9]{1,3}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value) -> str:
        return str(value)


register_converter(RegionCodeConverter, "region")

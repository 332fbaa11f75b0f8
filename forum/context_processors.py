from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def page_languages(request):
    """The page in each language: the switcher's links, hreflang alternates and the canonical URL.

    Only for a page that resolved; an error page (404) links nowhere else and needs no database.
    """
    if getattr(request, "resolver_match", None) is None:
        return {"page_languages": [], "canonical_url": ""}
    full_path = request.get_full_path()
    languages = []
    for code, _name in settings.LANGUAGES:
        path = translate_url(request.path, code)
        languages.append(
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                # The switcher keeps the query (a filtered registry stays filtered).
                "switch_url": translate_url(full_path, code),
                "url": request.build_absolute_uri(path),
            }
        )
    # x-default: the home page's is "/", which picks the reader's language; elsewhere Russian.
    is_home = request.resolver_match.url_name == "home"
    return {
        "page_languages": languages,
        "canonical_url": request.build_absolute_uri(request.path),
        "x_default_url": request.build_absolute_uri("/") if is_home else languages[0]["url"],
    }

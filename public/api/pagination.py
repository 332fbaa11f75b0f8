from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """50 a page by default, as ``?page_size=`` asks up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        # OpenAPI 3.1 spells "may be null" as a type list; DRF's own schema says "nullable".
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "example": 123},
                "next": {**link, "example": "https://forum.example.org/api/v1/agreements/?page=3"},
                "previous": {
                    **link,
                    "example": "https://forum.example.org/api/v1/agreements/?page=1",
                },
                "results": schema,
            },
        }

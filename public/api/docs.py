"""The open-data guide's list of endpoints, read from the API's own OpenAPI schema, so the
guide and the schema never disagree."""

from dataclasses import dataclass

from drf_spectacular.generators import SchemaGenerator


@dataclass
class Parameter:
    name: str
    where: str
    description: str
    values: list


@dataclass
class Endpoint:
    path: str
    summary: str
    description: str
    parameters: list[Parameter]


def api_endpoints() -> list[Endpoint]:
    from public.api import urls

    schema = SchemaGenerator(patterns=urls.urlpatterns, urlconf=urls).get_schema(public=True)
    endpoints = []
    for path, operations in schema["paths"].items():
        operation = operations["get"]
        parameters = [
            Parameter(
                name=parameter["name"],
                where=parameter["in"],
                description=str(parameter.get("description", "")),
                values=parameter.get("schema", {}).get("enum", []),
            )
            for parameter in operation.get("parameters", [])
        ]
        endpoints.append(
            Endpoint(
                path=path,
                summary=str(operation.get("summary", "")),
                description=str(operation.get("description", "")),
                parameters=parameters,
            )
        )
    return endpoints

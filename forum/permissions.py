"""The secretariat's staff groups and what each may do.

Migrations call ``staff_groups_sync`` with their historical app registry; a migration that adds a
model calls it again so the groups keep up.
"""

from django.contrib.auth.management import create_permissions

EDITORS = "Secretariat editors"
VIEWERS = "Secretariat viewers"
REGISTRARS = "Agreements registrars"

# The apps that hold the forum's data; users and groups stay with superusers.
DATA_APPS = ("sheets", "forum", "events", "documents", "delegates", "agreements", "secretariat")

ALL_ACTIONS = ("add", "change", "delete", "view")


def group_permissions() -> dict[str, dict[str, tuple[str, ...]]]:
    """Group name -> {"app_label.model" or "app_label.*": actions}."""
    return {
        EDITORS: {f"{app}.*": ALL_ACTIONS for app in DATA_APPS},
        VIEWERS: {f"{app}.*": ("view",) for app in DATA_APPS},
        REGISTRARS: {
            "agreements.*": ALL_ACTIONS,
            # To pick the forum, the signing event and a party's region.
            "forum.forum": ("view",),
            "forum.region": ("view",),
            "events.event": ("view",),
        },
    }


def staff_groups_sync(*, apps) -> None:
    """Create the groups and give each exactly the permissions of group_permissions()."""
    for app_config in apps.get_app_configs():
        # Permissions are normally made after migrate; the groups need them now.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in group_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for target, actions in grants.items():
            app_label, model = target.split(".")
            permissions = Permission.objects.filter(content_type__app_label=app_label)
            if model != "*":
                permissions = permissions.filter(content_type__model=model)
            codenames = [
                permission.pk
                for permission in permissions
                if permission.codename.split("_", 1)[0] in actions
            ]
            wanted.extend(codenames)
        group.permissions.set(wanted)


def is_active_staff(user) -> bool:
    """The secretariat as the public pages and the participants' documents see it: may preview
    drafts and read every document."""
    return bool(user is not None and user.is_active and user.is_staff)

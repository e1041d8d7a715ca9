"""Django admin for users (superusers only, see techbridge/core/admin.py)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin plus the platform's organisation, role and contact details."""

    list_display = ("username", "real_name", "organization", "role", "email", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_superuser", "organization__kind")
    search_fields = ("username", "real_name", "email", "phone", "organization__name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Platform"), {"fields": ("organization", "role")}),
        (_("Personal info"), {"fields": ("real_name", "first_name", "last_name", "email", "phone", "title")}),
        (
            _("Permissions"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": _(
                    "Only superusers can open this admin; platform work happens in the console."
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "real_name",
                    "email",
                    "organization",
                    "role",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

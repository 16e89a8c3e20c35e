"""Django admin at /beheer/: users and teams, for the administrator role only.

Access goes through Kring's own login (with lockout and the second factor), never through the
admin's login form. Case data is not registered here: administrators see cases only through
another role (docs/rules.md "Roles").

Every change made here is written to Kring's audit log (accounts.admin_audit), and an
administrator cannot change their own role, team or access (docs/security.md).
"""

# Imported first so that their registrations exist and can be replaced below.
import django.contrib.auth.admin  # noqa: F401
import django_otp.plugins.otp_static.admin  # noqa: F401
import django_otp.plugins.otp_totp.admin  # noqa: F401
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin, sensitive_post_parameters_m
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.accounts import admin_audit, password_change, second_factor
from kring.accounts.models import Role, Team, TeamArea, User, municipality_key
from kring.accounts.views import logout_view


def is_administrator(request) -> bool:
    user = request.user
    return bool(
        user.is_active
        and user.is_authenticated
        and user.role == Role.ADMINISTRATOR
        and (not second_factor.required() or user.is_verified())
    )


def _admin_login(request, extra_context=None):
    """The admin's own login form would bypass lockout and second factor: use Kring's."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), reverse("accounts:login")
    )


admin.site.has_permission = is_administrator
admin.site.login = _admin_login
admin.site.logout = logout_view
admin.site.site_header = _("Kring administration")
admin.site.site_title = _("Kring administration")
admin.site.index_title = _("Users and teams")

# Roles, not Django groups, decide what a user may do. The device admins would show secret
# keys and QR codes; administrators reset a second factor with the action on the user list.
# otp_static is installed only for the migration of its old tokens (ADR 0004): hidden too.
for model in (Group, TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


# The longest search the administration's lists run (AdministratorOnly.get_search_results).
SEARCH_LENGTH = 200


class AdministratorOnly:
    """Permissions follow the administrator role, not Django's per-model permissions."""

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)

    def has_add_permission(self, request):
        return is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request)

    def get_search_results(self, request, queryset, search_term):
        """A search is cut at SEARCH_LENGTH characters: longer than any name or area, and SQLite
        refuses a LIKE pattern over 50,000 bytes (the fuzz of issue 14, point 5, found a 500)."""
        return super().get_search_results(request, queryset, search_term[:SEARCH_LENGTH])

    def response_action(self, request, queryset):
        """Django's admin filters the chosen rows by the raw values of the form's checkboxes: a
        value that is no row's number (a tampered form) was a 500. Such a value chooses
        nothing; with nothing chosen the list says so (issue 14, point 5)."""
        chosen = request.POST.getlist(ACTION_CHECKBOX_NAME)
        numbers = [value for value in chosen if value.isascii() and value.isdigit()]
        if numbers != chosen:
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, numbers)
        return super().response_action(request, queryset)


# An administrator cannot change these on their own account: another administrator must.
OWN_ACCOUNT_FIELDS = ("role", "team", "is_active", "is_staff", "is_superuser")


class OwnAccountGuard:
    """Mixed into the change form of the administrator's own account: a change to their role,
    team or access is refused at the field, and nothing is saved."""

    def clean(self):
        data = super().clean()
        for field in OWN_ACCOUNT_FIELDS:
            if field in self.fields and field in self.changed_data:
                self.add_error(
                    field,
                    _("You cannot change this on your own account: ask another administrator."),
                )
        return data


@admin.register(User)
class KringUserAdmin(AdministratorOnly, UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password", "must_change_password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email", "language"]}),
        (_("Contact details for participants"), {"fields": ["work_phone", "work_email", "away"]}),
        (_("Role"), {"fields": ["role", "team", "is_active", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "language",
                    "role",
                    "team",
                    "usable_password",
                    "password1",
                    "password2",
                    "must_change_password",
                ],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_second_factor", "require_password_change"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "role" in form.base_fields:
            form.base_fields["role"].required = True
        if obj is not None and obj.pk == request.user.pk:
            form = type(form.__name__, (OwnAccountGuard, form), {})
        return form

    def has_delete_permission(self, request, obj=None):
        # Not their own account: that would remove their own administrator role.
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Inside the admin's transaction: the change and its audit rows commit together.
        old = None
        if change:
            stored = User.objects.filter(pk=obj.pk).first()
            old = admin_audit.access_values(stored) if stored is not None else None
        super().save_model(request, obj, form, change)
        if old is None:
            admin_audit.user_added(obj, by=request.user)
        else:
            admin_audit.user_changed(old, obj, changed_fields=form.changed_data, by=request.user)
        if "must_change_password" in form.changed_data:
            admin_audit.password_change_required(
                obj, required=obj.must_change_password, by=request.user
            )

    def delete_model(self, request, obj):
        admin_audit.user_deleted(obj, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for user in queryset:
                admin_audit.user_deleted(user, by=request.user)
            super().delete_queryset(request, queryset)

    @sensitive_post_parameters_m
    def user_change_password(self, request, id, form_url=""):
        """Django admin's own password page: that a password was set is audited (never the
        value); the audit row commits with the new password or not at all."""
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            before = user.password if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db()
                if user.password != before:
                    admin_audit.password_set(user, by=request.user)
        return response

    @admin.action(description=_("Reset second factor (the user sets up the app again)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor.reset_second_factor(user, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "The second factor of %(count)d user was reset.",
                "The second factor of %(count)d users was reset.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Require a new password at next sign-in"))
    def require_password_change(self, request, queryset):
        count = password_change.require_new_password(list(queryset), by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d user must choose a new password at next sign-in.",
                "%(count)d users must choose a new password at next sign-in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class TeamAreaFormSet(forms.BaseInlineFormSet):
    """The areas of one team, checked together: a municipality listed twice on the page is
    refused here (each row checks the other teams in TeamArea.clean)."""

    def clean(self):
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            key = municipality_key(data.get("municipality") or "")
            if key and key in seen:
                form.add_error(
                    "municipality", _("This municipality is already listed for this team.")
                )
            seen.add(key)


class TeamAreaInline(admin.TabularInline):
    """Where the team works: a request from there goes to its inbox (accounts.areas)."""

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)

    def has_add_permission(self, request, obj=None):
        return is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request)

    model = TeamArea
    formset = TeamAreaFormSet
    fields = ["municipality", "postcode_from", "postcode_to"]
    extra = 1
    verbose_name = _("area")
    verbose_name_plural = _(
        "Areas: a request from one of these municipalities or postcodes goes to this team"
    )


def _areas(team) -> list[str]:
    return [str(area) for area in TeamArea.objects.filter(team=team)] if team.pk else []


@admin.register(Team)
class TeamAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["name", "area_list"]
    search_fields = ["name", "areas__municipality"]
    inlines = [TeamAreaInline]

    @admin.display(description=_("areas"))
    def area_list(self, obj) -> str:
        return "; ".join(_areas(obj))

    def save_related(self, request, form, formsets, change):
        # The areas decide which requests the team's office sees: their change is audited.
        old = _areas(form.instance) if change else []
        super().save_related(request, form, formsets, change)
        admin_audit.team_areas_changed(form.instance, old, _areas(form.instance), by=request.user)

    def save_model(self, request, obj, form, change):
        old_name = None
        if change:
            old_name = Team.objects.filter(pk=obj.pk).values_list("name", flat=True).first()
        super().save_model(request, obj, form, change)
        if old_name is None:
            admin_audit.team_added(obj, by=request.user)
        else:
            admin_audit.team_changed(old_name, obj, by=request.user)

    def delete_model(self, request, obj):
        admin_audit.team_deleted(obj, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for team in queryset:
                admin_audit.team_deleted(team, by=request.user)
            super().delete_queryset(request, queryset)

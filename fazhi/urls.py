from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fazhi.accounts.forms import PolicyAuthenticationForm
from fazhi.core.views import favicon, home

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(authentication_form=PolicyAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("fazhi.accounts.urls")),
    path("org/", include("fazhi.org.urls")),
    path("workdays/", include("fazhi.workdays.urls")),
    path("rules/", include("fazhi.rules.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("registers/", include("fazhi.registers.urls")),
    path("decisions/", include("fazhi.decisions.urls")),
    path("casereview/", include("fazhi.casereview.urls")),
    path("inspections/", include("fazhi.inspections.urls")),
    path("onsite/", include("fazhi.onsite.urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("public/", include("fazhi.publicity.urls")),
    path("indicators/", include("fazhi.indicators.urls")),
    path("jobs/", include("fazhi.jobs.urls")),
    path("sysadmin/", admin.site.urls),
]

admin.site.site_header = "法治政府建设管理系统 · 系统管理"

handler400 = "fazhi.core.errors.bad_request"
handler403 = "fazhi.core.errors.permission_denied"
handler404 = "fazhi.core.errors.page_not_found"
handler500 = "fazhi.core.errors.server_error"

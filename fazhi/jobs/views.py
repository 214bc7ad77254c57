"""The page of one background Job (its progress polled with htmx until it ends) and the user's recent Jobs."""

from django.http import Http404
from django.shortcuts import render

from fazhi.core.downloads import download

from . import selectors


def job_list(request):
    jobs = selectors.recent_jobs(request.user, request.scope.visible_ids)
    return render(request, "jobs/job_list.html", {"jobs": jobs})


def job_detail(request, pk: int):
    job = selectors.job_in_scope(pk, request.user, request.scope.visible_ids)
    return render(request, "jobs/job_detail.html", {"job": job})


def job_progress(request, pk: int):
    """The progress block alone: what the job page's htmx polling swaps in every second."""
    job = selectors.job_in_scope(pk, request.user, request.scope.visible_ids)
    return render(request, "jobs/_progress.html", {"job": job})


def job_download(request, pk: int):
    job = selectors.job_in_scope(pk, request.user, request.scope.visible_ids)
    if not job.result_file:
        raise Http404("该任务没有生成文件。")
    with job.result_file.open("rb") as f:
        data = f.read()
    return download(data, job.result_file.name.rsplit("/", 1)[-1])

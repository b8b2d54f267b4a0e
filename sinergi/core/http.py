"""HTTP pieces every context shares: streaming upload limits and download headers."""

from urllib.parse import quote

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from .files import download_name_fallback


class UploadLimitHandler(FileUploadHandler):
    """Drops file data as soon as the request's files pass the size limit, while they stream in.

    Django would otherwise spool the whole body to a temporary file first: a 2 GB upload would
    fill the disk before the view could say no. The rest of the body is read and discarded. The
    count is per request, not per file: the form takes one file, so many parts under the limit
    each cannot add up to gigabytes either.
    """

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.sinergi_upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def content_disposition(name, kind):
    """`attachment` with an ASCII fallback name and the real name per RFC 5987/6266."""
    fallback = download_name_fallback(kind)
    header = f'attachment; filename="{fallback}"'
    if name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header

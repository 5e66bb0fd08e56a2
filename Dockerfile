# syntax=docker/dockerfile:1
# Multi-stage build: restore exactly the packages the lock file pins, publish, then run on the ASP.NET runtime image
# as a non-root user. Schema changes are explicit: run the "migrate" command before starting a new version.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/RecordsRequests/RecordsRequests.csproj src/RecordsRequests/packages.lock.json src/RecordsRequests/
RUN dotnet restore --locked-mode src/RecordsRequests/RecordsRequests.csproj
COPY src/ src/
COPY workflows/ workflows/
RUN dotnet publish src/RecordsRequests/RecordsRequests.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The run-time tools of ops/lib.sh (RUNTIME_PACKAGES): time-zone data, fonts, poppler, tesseract (eng, spa, por),
# LibreOffice without a GUI, msgconvert, readpst, bubblewrap, SpamAssassin's spamd (compose runs it as its own service
# from this image, for the SMTP listener's spam scores). curl: the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tzdata fonts-dejavu-core fonts-liberation fonts-crosextra-carlito \
      fonts-crosextra-caladea poppler-utils libtiff-tools tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-por \
      libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui libemail-outlook-message-perl \
      pst-utils bubblewrap spamassassin spamd curl \
 && rm -rf /var/lib/apt/lists/*
# Converters cannot make their own namespaces inside most container runtimes; the container's network keeps them
# off the network instead (README, "Records as pages: converters and OCR").
# DOTNET_TieredPGO_InstrumentOnlyHotCode: how the runtime compiles the product, as ops/lib.sh's PRODUCT_RUNTIME (why there).
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false \
    DOTNET_TieredPGO_InstrumentOnlyHotCode=0 \
    Documents__Isolation=none \
    RECORDS_DATA=/data \
    RECORDS_URL=http://0.0.0.0:8080
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin records \
 && mkdir -p /data && chown records:records /data
WORKDIR /app
COPY --from=build /app .
# The records office's SpamAssassin settings (see the file), read by the spamd service of ops/compose.yaml.
COPY ops/spamd/records.cf /etc/spamassassin/70_records.cf
USER records
VOLUME ["/data"]
EXPOSE 8080 2525
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "RecordsRequests.dll"]
CMD ["serve"]

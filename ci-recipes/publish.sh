#!/usr/bin/env sh
# Builds a kiosque site and copies it to plain shared hosting (rsync over
# SSH) or to S3-compatible object storage (rclone). Nothing is sent when
# the site has errors.
#
#   ci-recipes/publish.sh SITE rsync user@host:www/
#   ci-recipes/publish.sh SITE s3 remote:bucket      # an rclone remote
#
# Construit un site kiosque puis le copie sur un hébergement mutualisé
# (rsync) ou un stockage objet compatible S3 (rclone). Rien n'est envoyé si
# le site a des erreurs.
set -eu
site="${1:?site folder}"; method="${2:?rsync or s3}"; dest="${3:?destination}"
out="$(mktemp -d)/public"
kiosque build "$site" -o "$out"
case "$method" in
  rsync) rsync -av --delete "$out/" "$dest" ;;
  s3) rclone sync "$out/" "$dest" --checksum ;;
  *) echo "method must be rsync or s3" >&2; exit 2 ;;
esac

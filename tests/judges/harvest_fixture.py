#!/usr/bin/env python3
"""Write a kiosque site that stresses the DCAT → data.gouv.fr (udata) mapping.

    harvest_fixture.py OUTDIR [--datasets N]

OUTDIR must not exist or be empty. The site is deterministic (no randomness, no clock):
the same N gives byte-identical files. It holds hand-written datasets covering every licence
and every frequency kiosque accepts, temporal coverage with and without an end, remote-only
resources, spatial coverage (INSEE code + label, label only), a dataset under the
scdl-subventions schema, a `modified` date in the future, awkward keywords (accents,
apostrophes, capitals, duplicates after slugification, too short), Markdown descriptions,
created/modified dates, a dataset contact other than the site's, titled and described
resources, and both sidecar forms (`datasets/<slug>/dataset.yaml` and `datasets/<slug>.yaml`).
Then it pads with simple generated datasets (a 3-row CSV each) up to N datasets in total
(default 520). `kiosque check OUTDIR` must report no error (warnings are expected: late
datasets, a date in the future). Past dates stay on or before 2026-11-01, before the
SOURCE_DATE_EPOCH the judges build with (2026-11-23), so that kiosque and udata agree on which
`modified` dates are in the future.

Only the standard library is used, so any python3 runs it.
"""

import argparse
import json
import os
import sys

BASE_URL = "https://data.exemple-commune.fr/"
SITE_CONTACT = ("Service données", "donnees@exemple-commune.fr")

# Every licence kiosque knows (src/vocab.rs LICENSES).
LICENSES = [
    "etalab-2.0",
    "etalab-1.0",
    "ODbL-1.0",
    "ODC-By-1.0",
    "PDDL-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
]

# Every frequency `kiosque check` accepts: the one list, src/vocab.rs FREQUENCIES.
FREQUENCIES = [
    "continuous",
    "hourly",
    "daily",
    "weekly",
    "biweekly",
    "monthly",
    "bimonthly",
    "quarterly",
    "semiannual",
    "annual",
    "biennial",
    "triennial",
    "quinquennial",
    "irregular",
    "never",
    "unknown",
]

SUBVENTIONS_HEADER = (
    "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,"
    "rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,"
    "notificationUE,pourcentageSubvention,dispositifAide"
)
SUBVENTIONS_ROWS = [
    "Commune d'Exemple,21995010200018,2025-04-02,DEL2025-010,Association des anciens combattants"
    " d'Exemple,,W995000011,Cérémonies commémoratives et entretien des drapeaux,350.00,"
    "aide en numéraire,unique,2025-05-22,,non,1.00,",
    "Commune d'Exemple,21995010200018,2025-04-02,DEL2025-010,Comité de jumelage d'Exemple,,"
    "W995000259,Accueil d'une délégation de la ville jumelle,1200.00,aide en numéraire,unique,"
    "2025-05-27,,non,1.00,",
    "Commune d'Exemple,21995010200018,2025-04-02,DEL2025-010,Judo club exemplois,,W995000881,"
    "Fonctionnement du club et participation aux compétitions régionales,1800.00,"
    "aide en numéraire,unique,2025-05-16,,non,1.00,",
]


def yq(s):
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def block(text, indent=2):
    """A YAML literal block (`|`) holding text exactly (one final newline)."""
    pad = " " * indent
    lines = text.strip("\n").split("\n")
    return "|\n" + "\n".join(pad + ln if ln else "" for ln in lines) + "\n"


def small_csv(seed, rows=3):
    out = ["code,libelle,valeur,date"]
    for i in range(rows):
        n = seed * 7 + i * 3
        out.append(f"C{seed:04d}-{i + 1},Catégorie {chr(65 + (n % 26))},{(n * 37) % 1000 + 0.5},"
                   f"2025-{(i % 12) + 1:02d}-15")
    return "\n".join(out) + "\n"


class Dataset:
    """One sidecar, written as YAML by hand to keep the output stable and readable."""

    def __init__(self, slug, title, description, *, one_file=False, **fields):
        self.slug = slug
        self.one_file = one_file
        self.title = title
        self.description = description
        self.fields = fields  # already-YAML snippets, in insertion order
        self.files = {}  # name -> text
        self.resources = None  # list of dicts, or None to publish every file

    def yaml(self):
        out = [f"title: {yq(self.title)}", "description: " + block(self.description).rstrip("\n")]
        for key, value in self.fields.items():
            out.append(f"{key}: {value}" if not value.startswith("\n") else f"{key}:{value}")
        if self.resources is not None:
            out.append("resources:")
            for r in self.resources:
                first = True
                for k in ("path", "url", "title", "description", "format"):
                    if k in r:
                        out.append(("  - " if first else "    ") + f"{k}: {yq(r[k])}")
                        first = False
        return "\n".join(out) + "\n"

    def write(self, root):
        ds_dir = os.path.join(root, "datasets")
        if self.one_file:
            assert len(self.files) == 1 and self.resources is None
            (name, text), = self.files.items()
            ext = name.rsplit(".", 1)[1]
            write(os.path.join(ds_dir, f"{self.slug}.yaml"), self.yaml())
            write(os.path.join(ds_dir, f"{self.slug}.{ext}"), text)
        else:
            d = os.path.join(ds_dir, self.slug)
            write(os.path.join(d, "dataset.yaml"), self.yaml())
            for name, text in self.files.items():
                write(os.path.join(d, name), text)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def flow(items):
    return "[" + ", ".join(yq(i) for i in items) + "]"


def contact(name, email):
    return f"\n  name: {yq(name)}\n  email: {yq(email)}"


MARKDOWN = """\
## Contenu du fichier

Ce jeu de données décrit **les équipements** de la commune :

- les écoles et les crèches ;
- les gymnases, *stades* et piscines ;
- les salles municipales.

Voir aussi [le site de la mairie](https://www.exemple-commune.fr/equipements) pour les horaires.

### Mises à jour

1. Relevé annuel au printemps.
2. Corrections au fil de l'eau.
"""


def special_datasets():
    out = []

    # Every licence, explicitly (folder form, one titled + described CSV each).
    for i, lic in enumerate(LICENSES):
        slug = "licence-" + lic.lower().replace(".", "-")
        d = Dataset(
            slug,
            f"Jeu sous licence {lic}",
            f"Un jeu de données publié sous la licence {lic}.",
            license=lic,
            keywords=flow(["licence", lic]),
            frequency="annual",
            created=f"2024-0{i + 1}-10",
            modified=f"2026-0{i + 1}-20",
        )
        d.files[f"{slug}.csv"] = small_csv(100 + i)
        d.resources = [
            {"path": f"{slug}.csv", "title": f"Données sous {lic}",
             "description": f"Le fichier publié sous {lic}."}
        ]
        out.append(d)

    # Every frequency (one-file form: datasets/<slug>.yaml beside datasets/<slug>.csv).
    for i, freq in enumerate(FREQUENCIES):
        slug = f"frequence-{freq}"
        d = Dataset(
            slug,
            f"Mise à jour {freq}",
            f"Un jeu de données mis à jour selon la fréquence « {freq} ».",
            one_file=True,
            keywords=flow(["fréquence", freq]),
            frequency=freq,
            modified="2026-11-01",
        )
        d.files[f"{slug}.csv"] = small_csv(200 + i)
        out.append(d)

    d = Dataset(
        "temporel-debut-seul",
        "Couverture temporelle ouverte",
        "Une série commencée en 2020 et toujours en cours.",
        keywords=flow(["série", "temporel"]),
        frequency="monthly",
        temporal="\n  start: 2020-01-01",
    )
    d.files["serie.csv"] = small_csv(300)
    out.append(d)

    d = Dataset(
        "temporel-complet",
        "Couverture temporelle bornée",
        "Une série de 2019 à 2023, close.",
        keywords=flow(["série", "historique"]),
        frequency="never",
        temporal="\n  start: 2019-01-01\n  end: 2023-12-31",
        created="2024-01-15",
        modified="2024-02-01",
    )
    d.files["historique.csv"] = small_csv(301)
    out.append(d)

    d = Dataset(
        "ressources-distantes",
        "Documents hébergés ailleurs",
        "Des documents publiés sur le site de la préfecture, que le portail ne copie pas.",
        keywords=flow(["documents", "préfecture"]),
        frequency="irregular",
        created="2023-06-01",
        modified="2026-05-02",
    )
    d.resources = [
        {"url": "https://www.exemple-prefecture.gouv.fr/documents/arrete-2025.pdf",
         "title": "Arrêté préfectoral 2025", "description": "Le texte signé, en PDF.",
         "format": "pdf"},
        {"url": "https://www.exemple-prefecture.gouv.fr/documents/annexes-2025.zip",
         "title": "Annexes de l'arrêté", "description": "Les plans annexés, en archive.",
         "format": "zip"},
    ]
    out.append(d)

    d = Dataset(
        "couverture-commune",
        "Couverture géographique : commune",
        "Un jeu de données couvrant une commune, désignée par son code INSEE.",
        keywords=flow(["territoire", "commune"]),
        frequency="annual",
        spatial='\n  label: "Commune d\'Exemple"\n  insee: "99501"',
        modified="2026-06-01",
    )
    d.files["territoire.csv"] = small_csv(310)
    out.append(d)

    d = Dataset(
        "couverture-libelle",
        "Couverture géographique : libellé seul",
        "Un jeu de données dont la couverture n'est qu'un nom de lieu.",
        keywords=flow(["territoire", "quartier"]),
        frequency="annual",
        spatial="\n  label: Quartier de la gare",
        modified="2026-06-01",
    )
    d.files["quartier.csv"] = small_csv(311)
    out.append(d)

    d = Dataset(
        "subventions-scdl",
        "Subventions aux associations (SCDL)",
        "Subventions versées aux associations, au format du schéma national "
        "[SCDL Subventions](https://schema.data.gouv.fr/scdl/subventions/).",
        keywords=flow(["subventions", "associations", "SCDL"]),
        themes="[ECON, SOCI]",
        frequency="annual",
        schema="scdl-subventions",
        created="2025-04-22",
        modified="2026-05-29",
        temporal="\n  start: 2025-01-01\n  end: 2025-12-31",
    )
    d.files["subventions-2025.csv"] = SUBVENTIONS_HEADER + "\n" + "\n".join(SUBVENTIONS_ROWS) + "\n"
    d.resources = [
        {"path": "subventions-2025.csv", "title": "Subventions attribuées en 2025",
         "description": "Une ligne par convention de subvention.", "format": "CSV"}
    ]
    out.append(d)

    d = Dataset(
        "modifie-futur",
        "Date de modification dans le futur",
        "La fiche annonce une modification en 2099 : le moissonneur doit l'ignorer.",
        keywords=flow(["futur"]),
        frequency="annual",
        created="2020-03-03",
        modified="2099-01-01",
    )
    d.files["futur.csv"] = small_csv(320)
    out.append(d)

    d = Dataset(
        "mots-cles",
        "Mots-clés difficiles",
        "Des mots-clés avec accents, apostrophes, capitales, doublons et un mot trop court.",
        keywords=flow([
            "Énergie",
            "énergie",  # same slug as the previous one
            "Qualité de l'air",
            "qualité de l’air",  # typographic apostrophe, same slug
            "ESPACES VERTS",
            "espaces-verts",  # same slug
            "Île-de-France",
            "Œuvres d'art",
            "BD",  # slug shorter than 3 characters: udata drops it
            "eau",
            "Ça & là",
        ]),
        frequency="quarterly",
        modified="2026-10-01",
    )
    d.files["mots-cles.csv"] = small_csv(330)
    out.append(d)

    d = Dataset(
        "description-markdown",
        "Description en Markdown",
        MARKDOWN,
        keywords=flow(["équipements", "markdown"]),
        themes="[EDUC]",
        frequency="annual",
        created="2022-09-01",
        modified="2026-09-01",
    )
    d.files["equipements.csv"] = small_csv(340)
    d.resources = [
        {"path": "equipements.csv", "title": "Liste des équipements",
         "description": "Une ligne par **équipement**, avec sa catégorie."}
    ]
    out.append(d)

    d = Dataset(
        "contact-specifique",
        "Jeu avec son propre contact",
        "Le service de l'urbanisme répond aux questions sur ce jeu de données.",
        keywords=flow(["urbanisme", "permis"]),
        publisher=yq("Service urbanisme"),
        contact=contact("Service urbanisme", "urbanisme@exemple-commune.fr"),
        frequency="monthly",
        created="2021-01-04",
        modified="2026-10-02",
    )
    d.files["permis.csv"] = small_csv(350)
    out.append(d)

    d = Dataset(
        "ressources-mixtes",
        "Fichiers locaux et distants",
        "Un tableau publié ici, un export JSON, et le rapport hébergé ailleurs.",
        license="ODbL-1.0",
        keywords=flow(["rapport", "mixte", "json"]),
        contact=contact("Direction générale", "dg@exemple-commune.fr"),
        frequency="semiannual",
        created="2018-05-05",
        modified="2026-08-15",
        temporal="\n  start: 2018-01-01\n  end: 2026-06-30",
        spatial='\n  label: "Commune d\'Exemple"\n  insee: "99501"',
    )
    d.files["mesures.csv"] = small_csv(360, rows=5)
    d.files["mesures.json"] = (
        '[{"code": "A", "valeur": 1.5}, {"code": "B", "valeur": 2.5}, {"code": "C", "valeur": 3}]\n'
    )
    d.resources = [
        {"path": "mesures.csv", "title": "Mesures (tableau)", "description": "Le tableau complet."},
        {"path": "mesures.json", "title": "Mesures (JSON)", "description": "Les mêmes mesures en JSON."},
        {"url": "https://www.exemple-commune.fr/rapports/rapport-2025.pdf",
         "title": "Rapport 2025", "description": "Le rapport d'activité.", "format": "pdf"},
    ]
    out.append(d)

    # Geometries: data.gouv.fr keeps a spatial coverage only as a polygon, which kiosque makes
    # from the bounding box of coordinate columns and of GeoJSON shapes.
    d = Dataset(
        "bornes-recharge",
        "Bornes de recharge",
        "Les bornes de recharge pour véhicules électriques, avec leurs coordonnées.",
        keywords=flow(["mobilité", "énergie"]),
        frequency="monthly",
        modified="2026-10-01",
        spatial='\n  label: "Commune d\'Exemple"\n  insee: "99501"',
    )
    d.files["bornes.csv"] = (
        "id,nom,latitude,longitude\n"
        "B1,Mairie,48.8512,2.3401\n"
        "B2,Gare,48.8634,2.3567\n"
        "B3,Piscine,48.8421,2.3298\n"
    )
    out.append(d)
    d = Dataset(
        "pistes-cyclables",
        "Pistes cyclables",
        "Le tracé des pistes cyclables de la commune.",
        one_file=True,
        keywords=flow(["vélo", "mobilité douce"]),
        frequency="annual",
        modified="2026-04-01",
    )
    d.files["pistes-cyclables.geojson"] = json.dumps({
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"nom": "Rue du Canal"},
             "geometry": {"type": "LineString", "coordinates": [[2.31, 48.84], [2.33, 48.85], [2.36, 48.86]]}},
            {"type": "Feature", "properties": {"nom": "Quai"},
             "geometry": {"type": "LineString", "coordinates": [[2.30, 48.83], [2.305, 48.835]]}},
        ],
    }, ensure_ascii=False) + "\n"
    out.append(d)
    d = Dataset(
        "borne-unique",
        "Une seule borne",
        "Un tableau d'un seul point : sa boîte englobante n'a pas de surface.",
        keywords=flow(["mobilité"]),
        frequency="never",
        modified="2026-01-10",
    )
    d.files["borne.csv"] = "id,lat,lon\nU1,48.85,2.35\n"
    out.append(d)

    return out


def padding(index):
    n = index
    slug = f"jeu-genere-{n:04d}"
    d = Dataset(
        slug,
        f"Jeu généré n° {n}",
        f"Jeu de données généré n° {n}, pour éprouver le moissonnage d'un gros catalogue.",
        keywords=flow(["généré", f"lot {n % 10}"]),
        frequency=FREQUENCIES[n % len(FREQUENCIES)],
        created=f"20{15 + n % 10}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
        modified=f"2026-{n % 10 + 1:02d}-{n % 28 + 1:02d}",
    )
    if n % 3 == 0:
        d.fields["license"] = LICENSES[n % len(LICENSES)]
    d.files[f"{slug}.csv"] = small_csv(1000 + n)
    return d


SITE_YAML = f"""\
title: Données ouvertes de la commune d'Exemple
description: >-
  Un site de test qui éprouve la correspondance entre les fiches de kiosque et ce que le
  moissonneur de data.gouv.fr enregistre.
base_url: {BASE_URL}
language: fr
publisher: Commune d'Exemple
siret: "21995010000018"
contact:
  name: {SITE_CONTACT[0]}
  email: {SITE_CONTACT[1]}
license: etalab-2.0
accessibility: partial
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--datasets", type=int, default=520, help="total datasets (default 520)")
    args = parser.parse_args(argv)

    if os.path.exists(args.outdir) and os.listdir(args.outdir):
        print(f"harvest_fixture: {args.outdir} is not empty", file=sys.stderr)
        return 2
    specials = special_datasets()
    if args.datasets < len(specials):
        print(f"harvest_fixture: --datasets must be at least {len(specials)}", file=sys.stderr)
        return 2
    datasets = specials + [padding(i + 1) for i in range(args.datasets - len(specials))]
    slugs = [d.slug for d in datasets]
    assert len(set(slugs)) == len(slugs), "duplicate slug"

    os.makedirs(args.outdir, exist_ok=True)
    write(os.path.join(args.outdir, "site.yaml"), SITE_YAML)
    write(
        os.path.join(args.outdir, "pages", "a-propos.md"),
        "---\ntitle: À propos\n---\n\nUn site de test pour le moissonnage.\n",
    )
    for d in datasets:
        d.write(args.outdir)
    print(f"harvest_fixture: {len(datasets)} datasets ({len(specials)} hand-written) in {args.outdir}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""French."""

from domain.generation.phrasebook.phrases import Phrases

PHRASES = Phrases(
    brand=" de {brand}",
    intros={
        "professional": ("{name}{brand} réunit des détails bien pensés dans un ensemble clair et fiable.",
                         "Avec {name}{brand}, vous choisissez un produit dont les caractéristiques sont "
                         "clairement décrites."),
        "friendly": ("Bonne nouvelle : {name}{brand} vous attend déjà.",
                     "Envie de nouveauté ? {name}{brand} pourrait bien être ce qu'il vous faut."),
        "luxury": ("{name}{brand} est une invitation à savourer les belles choses de la vie.",
                   "Découvrez {name}{brand}, pour celles et ceux qui apprécient le raffinement du détail."),
        "playful": ("Envie d'un peu de fantaisie ? {name}{brand} est là pour égayer votre journée.",
                    "Psst… {name}{brand} vient d'arriver et n'attend que vous."),
        "technical": ("{name}{brand} : les caractéristiques techniques en un coup d'œil.",
                      "La fiche de {name}{brand}, établie à partir des données du produit."),
        "persuasive": ("Faites le bon choix avec {name}{brand} : les détails parlent d'eux-mêmes.",
                       "Pourquoi vous contenter de moins ? {name}{brand} vous offre exactement ce que "
                       "décrivent les détails."),
        "minimalist": ("{name}{brand}. Simple et efficace.", "{name}{brand} : ni plus, ni moins."),
    },
    categories=("Vous le trouverez dans notre catégorie {categories}.",
                "Il fait partie de notre sélection {categories}."),
    details=("Les détails – {details}.", "En bref – {details}."),
    details_heading="Détails",
    closings={
        "professional": ("Un choix judicieux pour qui apprécie une information produit claire et honnête.",
                         "Vous savez ainsi exactement ce que vous offre {name}."),
        "friendly": ("Nous espérons que {name} deviendra l'un de vos favoris.",
                     "Bonnes découvertes et bon shopping !"),
        "luxury": ("Offrez-vous {name} et profitez de chaque détail.",
                   "{name}, pour des moments que vous savourez avec élégance."),
        "playful": ("Allez, laissez sa chance à {name} !", "Votre panier n'attend plus que {name}."),
        "technical": ("Toutes les données proviennent de la fiche du produit.",
                      "Chaque caractéristique indiquée ici est tirée des données du produit."),
        "persuasive": ("Ajoutez {name} à votre panier dès aujourd'hui.",
                       "Commandez {name} maintenant et jugez par vous-même."),
        "minimalist": ("Tout simplement {name}.", "{name}. Rien de plus."),
    },
    meta=("{name}{brand} – {details}.", "Découvrez {name}{brand}. {details}."),
    meta_plain=("Découvrez {name}{brand} dans notre boutique en ligne.",
                "{name}{brand}, à découvrir dans notre boutique."),
    labels={"color": "Couleur", "size": "Taille", "material": "Matière", "weight": "Poids", "style": "Style",
            "pattern": "Motif", "fit": "Coupe", "length": "Longueur", "width": "Largeur", "height": "Hauteur",
            "capacity": "Capacité", "volume": "Volume", "finish": "Finition", "type": "Type",
            "gender": "Genre", "season": "Saison", "origin": "Origine"},
    and_word="et",
)

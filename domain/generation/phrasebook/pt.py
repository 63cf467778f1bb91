"""Portuguese."""

from domain.generation.phrasebook.phrases import Phrases

PHRASES = Phrases(
    brand=" da marca {brand}",
    intros={
        "professional": ("{name}{brand} reúne detalhes bem pensados de forma clara e consistente.",
                         "Com {name}{brand}, escolhe um produto com características claramente descritas."),
        "friendly": ("Boas notícias: {name}{brand} já está à sua espera.",
                     "Procura algo novo? {name}{brand} pode ser exatamente o que precisa."),
        "luxury": ("{name}{brand} é um convite para apreciar as coisas boas da vida.",
                   "Descubra {name}{brand}, para quem valoriza o requinte dos detalhes."),
        "playful": ("Que tal algo divertido? {name}{brand} chegou para alegrar o seu dia.",
                    "Psst… {name}{brand} acabou de chegar à nossa loja."),
        "technical": ("{name}{brand}: as especificações em resumo.",
                      "A ficha de {name}{brand}, feita a partir dos dados do produto."),
        "persuasive": ("Faça a escolha certa com {name}{brand}: os detalhes falam por si.",
                       "Por que se contentar com menos? {name}{brand} oferece exatamente o que os "
                       "detalhes descrevem."),
        "minimalist": ("{name}{brand}. Simples e direto.", "{name}{brand}: nem mais, nem menos."),
    },
    categories=("Encontra este produto na nossa categoria {categories}.",
                "Faz parte da nossa seleção de {categories}."),
    details=("Os detalhes – {details}.", "Em resumo – {details}."),
    details_heading="Detalhes",
    closings={
        "professional": ("Uma escolha sensata para quem valoriza informação de produto clara e honesta.",
                         "Assim sabe exatamente o que {name} tem para oferecer."),
        "friendly": ("Esperamos que {name} se torne um dos seus favoritos.", "Boas compras!"),
        "luxury": ("Ofereça a si mesmo {name} e desfrute de cada detalhe.",
                   "{name}, para momentos vividos com estilo."),
        "playful": ("Vamos lá, dê uma oportunidade a {name}!", "O seu carrinho só está à espera de {name}."),
        "technical": ("Todos os dados provêm da ficha do produto.",
                      "Cada especificação deste texto vem dos dados do produto."),
        "persuasive": ("Adicione {name} ao seu carrinho hoje mesmo.",
                       "Encomende {name} agora e comprove por si."),
        "minimalist": ("Simplesmente {name}.", "{name}. Nada mais."),
    },
    meta=("{name}{brand} – {details}.", "Descubra {name}{brand}. {details}."),
    meta_plain=("Descubra {name}{brand} na nossa loja online.", "{name}{brand}, agora na nossa loja."),
    labels={"color": "Cor", "size": "Tamanho", "material": "Material", "weight": "Peso", "style": "Estilo",
            "pattern": "Padrão", "fit": "Corte", "length": "Comprimento", "width": "Largura",
             "height": "Altura",
            "capacity": "Capacidade", "volume": "Volume", "finish": "Acabamento", "type": "Tipo",
            "gender": "Género", "season": "Estação", "origin": "Origem"},
    and_word="e",
)

/// Cities with a mirror in the demo farm, with their country codes. Order matters: a demo farm of
/// `count` mirrors takes them from the top, numbering repeats ("Frankfurt 2") past the end.
enum DemoCities {
    static let all: [(name: String, country: String)] = [
        ("Frankfurt", "de"), ("Amsterdam", "nl"), ("Paris", "fr"), ("London", "gb"),
        ("Stockholm", "se"), ("Helsinki", "fi"), ("Warsaw", "pl"), ("Vienna", "at"),
        ("Zurich", "ch"), ("Milan", "it"), ("Madrid", "es"), ("Lisbon", "pt"),
        ("Dublin", "ie"), ("Oslo", "no"), ("Copenhagen", "dk"), ("Prague", "cz"),
        ("Budapest", "hu"), ("Bucharest", "ro"), ("Athens", "gr"), ("Istanbul", "tr"),
        ("Kyiv", "ua"), ("Tallinn", "ee"), ("Riga", "lv"), ("Vilnius", "lt"),
        ("New York", "us"), ("Chicago", "us"), ("Dallas", "us"), ("Los Angeles", "us"),
        ("Seattle", "us"), ("Toronto", "ca"), ("Montreal", "ca"), ("Mexico City", "mx"),
        ("São Paulo", "br"), ("Buenos Aires", "ar"), ("Santiago", "cl"), ("Bogotá", "co"),
        ("Tokyo", "jp"), ("Osaka", "jp"), ("Seoul", "kr"), ("Taipei", "tw"),
        ("Hong Kong", "hk"), ("Singapore", "sg"), ("Jakarta", "id"), ("Mumbai", "in"),
        ("Bangalore", "in"), ("Dubai", "ae"), ("Tel Aviv", "il"), ("Johannesburg", "za"),
        ("Cape Town", "za"), ("Nairobi", "ke"), ("Lagos", "ng"), ("Cairo", "eg"),
        ("Sydney", "au"), ("Melbourne", "au"), ("Auckland", "nz"), ("Reykjavík", "is"),
    ]
}

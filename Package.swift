// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dossier",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dossier", targets: ["dossier"]),
        .library(name: "DossierKit", targets: ["DossierKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // `swift package generate-documentation` (scripts/docs.sh; CI builds the docs with warnings as errors).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CDossierCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CDossierArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "CDossierZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(name: "CDossierSystem"),
        .systemLibrary(
            name: "CDossierPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev", "libcairo2-dev"])]
        ),
        .systemLibrary(
            name: "CDossierTesseract",
            pkgConfig: "tesseract",
            providers: [.apt(["libtesseract-dev", "libleptonica-dev", "libpng-dev", "libturbojpeg0-dev"])]
        ),
        // libFuzzer's driver, declared (no library: `-sanitize=fuzzer` links it); scripts/fuzz.sh.
        .systemLibrary(name: "CDossierFuzzer"),
        .systemLibrary(
            name: "CDossierMagic",
            pkgConfig: "libmagic",
            providers: [.apt(["libmagic-dev"])]
        ),
        .systemLibrary(
            name: "CDossierClamAV",
            pkgConfig: "libclamav",
            providers: [.apt(["libclamav-dev"])]
        ),
        .target(name: "DossierModel"),
        .target(
            name: "DossierKit",
            dependencies: [
                "DossierModel",
                "CDossierCrypto", "CDossierArchive", "CDossierSystem", "CDossierPoppler", "CDossierTesseract", "CDossierZlib", "CDossierMagic",
                "CDossierClamAV",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "dossier",
            dependencies: [
                "DossierKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "dossier-bench",
            dependencies: ["DossierKit", "_DossierTestSupport"]
        ),
        // The fuzzing harness (scripts/fuzz.sh); without -DFUZZING it replays files.
        .executableTarget(
            name: "dossier-fuzz",
            dependencies: ["DossierKit", "CDossierFuzzer"]
        ),
        .target(
            name: "_DossierTestSupport",
            dependencies: ["DossierKit"]
        ),
        .testTarget(
            name: "DossierModelTests",
            dependencies: ["DossierModel"]
        ),
        .testTarget(
            name: "DossierKitTests",
            dependencies: ["DossierKit", "_DossierTestSupport", "CDossierZlib"]
        ),
        .testTarget(
            name: "DossierCLITests",
            dependencies: ["dossier", "DossierKit", "_DossierTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

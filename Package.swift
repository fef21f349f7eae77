// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "fuq",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fuq", targets: ["fuq"]),
        .library(name: "FuqCore", targets: ["FuqCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The only C in fuq: typed one-line wrappers around libcurl's variadic calls.
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        // Header only: libhunspell (spelling in `fuq check`).
        .target(
            name: "CHunspell",
            linkerSettings: [.linkedLibrary("hunspell")]
        ),
        // sd-bus from libsystemd: the desktop notification call (typed wrappers, sd-bus is variadic).
        .target(
            name: "CSystemd",
            linkerSettings: [.linkedLibrary("systemd")]
        ),
        // libical 3: reading calendar invitations (`fuq new`).
        .target(
            name: "CICal",
            linkerSettings: [.linkedLibrary("ical")]
        ),
        // Header only: Linux timerfd, missing from Swift's Glibc module (the daemon's clock).
        .target(name: "CLinux"),
        .target(
            name: "FuqCore",
            dependencies: [
                "CCurl",
                "CHunspell",
                "CLinux",
                "CSystemd",
                "CICal",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "fuq",
            dependencies: [
                "FuqCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "FuqCoreTests",
            dependencies: ["FuqCore"]
        ),
        .testTarget(
            name: "FuqIntegrationTests",
            dependencies: ["FuqCore", "fuq", .product(name: "Yams", package: "Yams")],
            exclude: ["Invitations"]
        ),
    ]
)

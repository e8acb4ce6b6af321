package dev.quantfleet.common.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Artifacts (models, data, calibration statistics, reference outputs, quantized models, reports)
 * in one S3 bucket below one key prefix, addressed by SHA-256.
 *
 * <p>Two kinds of keys exist below the prefix:
 * <ul>
 *   <li>content keys {@code <prefix>/sha256/<hex>}, where {@code hex} is the SHA-256 of the bytes
 *       ({@link #putContent(Path)}); an upload is skipped when the object exists with the same
 *       hash and size;
 *   <li>named keys {@code <prefix>/<relative key>}, for example {@code
 *       quantized/<model>/<version>/<request id>/model.onnx} ({@link #putNamed(String, Path)}).
 * </ul>
 * Every object carries its SHA-256 as user metadata {@code sha256}. Downloads are checked against
 * the SHA-256 and size of the {@link ArtifactRef}; keys outside the prefix are rejected (see
 * {@link ArtifactKeys}). The client uses path-style access, the configured endpoint and static
 * credentials, so it contacts no other host (no instance metadata lookups).
 *
 * <p>Thread-safe: the underlying {@link S3Client} is thread-safe and the store keeps no other state.
 */
public final class ArtifactStore implements AutoCloseable {

    /** Name of the user metadata entry ({@code x-amz-meta-sha256}) that contains the SHA-256 hex. */
    public static final String SHA256_METADATA = "sha256";

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
    private static final int COPY_BUFFER_BYTES = 1 << 16;

    private final S3Client s3;
    private final ArtifactStoreConfig config;
    private final MultipartUploader multipartUploader;

    private ArtifactStore(S3Client s3, ArtifactStoreConfig config) {
        this.s3 = s3;
        this.config = config;
        this.multipartUploader = new MultipartUploader(s3, config.bucket(), config.partSizeBytes());
    }

    /** Creates the S3 client for {@code config}; the bucket must exist. */
    public static ArtifactStore open(ArtifactStoreConfig config) {
        S3Client s3 = S3Client.builder()
                .endpointOverride(config.endpoint())
                .region(Region.of(config.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey())))
                .build();
        return new ArtifactStore(s3, config);
    }

    public ArtifactStoreConfig config() {
        return config;
    }

    /** Returns the content key {@code <prefix>/sha256/<hex>} of bytes with SHA-256 {@code sha256}. */
    public String contentKey(String sha256) {
        return ArtifactKeys.join(config.prefix(), "sha256/" + sha256);
    }

    /** Returns the key {@code <prefix>/<relativeKey>} after validating {@code relativeKey}. */
    public String namedKey(String relativeKey) {
        return ArtifactKeys.join(config.prefix(), relativeKey);
    }

    /**
     * Uploads {@code file} under its content key unless an object with the same SHA-256 and size exists.
     *
     * <p>NOTE: the file is read twice, once for the hash and once for the upload. A file that
     * changes in between is stored under a wrong hash, which the next verified download reports.
     */
    public ArtifactRef putContent(Path file) {
        String sha256 = hash(file);
        return putFile(contentKey(sha256), file, sha256);
    }

    /** Uploads {@code bytes} under their content key unless an object with the same SHA-256 and size exists. */
    public ArtifactRef putContent(byte[] bytes) {
        String sha256 = Sha256.of(bytes);
        return putBytes(contentKey(sha256), bytes, sha256);
    }

    /** Uploads {@code file} to {@code <prefix>/<relativeKey>}, replacing an object with other content. */
    public ArtifactRef putNamed(String relativeKey, Path file) {
        String key = namedKey(relativeKey);
        return putFile(key, file, hash(file));
    }

    /** Uploads {@code bytes} to {@code <prefix>/<relativeKey>}, replacing an object with other content. */
    public ArtifactRef putNamed(String relativeKey, byte[] bytes) {
        String key = namedKey(relativeKey);
        return putBytes(key, bytes, Sha256.of(bytes));
    }

    /**
     * Returns the reference of the object at {@code key} from its size and SHA-256 metadata, or
     * empty if no object exists there.
     *
     * @throws ArtifactStoreException if the object has no valid {@code sha256} metadata, which
     *     happens when it was written by another tool
     */
    public Optional<ArtifactRef> find(String key) {
        requireInsidePrefix(key);
        return head(key).map(head -> {
            String sha256 = head.metadata().get(SHA256_METADATA);
            if (sha256 == null) {
                throw new ArtifactStoreException("Object " + describe(key) + " has no " + SHA256_METADATA
                        + " metadata; upload it through ArtifactStore to record its hash");
            }
            return new ArtifactRef(key, sha256, head.contentLength());
        });
    }

    /** Returns whether an object with the reference's key, SHA-256 metadata and size exists. */
    public boolean exists(ArtifactRef ref) {
        requireInsidePrefix(ref.key());
        return head(ref.key()).filter(head -> matches(head, ref.sha256(), ref.sizeBytes())).isPresent();
    }

    /**
     * Downloads the object of {@code ref} to {@code target}, replacing it.
     *
     * <p>The bytes go to {@code <target>.part} first and are hashed on the way. Only when size and
     * SHA-256 match {@code ref} is the file moved to {@code target}; otherwise the partial file is
     * deleted and an {@link ArtifactIntegrityException} names the key, the expected and the actual
     * values.
     */
    public void download(ArtifactRef ref, Path target) {
        requireInsidePrefix(ref.key());
        requireWithinLimit(ref.sizeBytes(), ref.key());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        boolean moved = false;
        try (ResponseInputStream<GetObjectResponse> in = getObject(ref.key());
                OutputStream out = Files.newOutputStream(partial)) {
            String sha256 = copyVerifyingSize(in, out, ref);
            out.close();
            requireHash(ref, sha256);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } catch (IOException e) {
            throw new ArtifactStoreException("Failed to download " + describe(ref.key()) + " to " + target, e);
        } finally {
            if (!moved) {
                deleteQuietly(partial);
            }
        }
    }

    /** Downloads the object of {@code ref} into memory and verifies its size and SHA-256. */
    public byte[] readBytes(ArtifactRef ref) {
        requireInsidePrefix(ref.key());
        requireWithinLimit(ref.sizeBytes(), ref.key());
        if (ref.sizeBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Object " + describe(ref.key()) + " has " + ref.sizeBytes()
                    + " bytes, too many for a byte array; use download(ref, path)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) ref.sizeBytes());
        try (ResponseInputStream<GetObjectResponse> in = getObject(ref.key())) {
            requireHash(ref, copyVerifyingSize(in, out, ref));
        } catch (IOException e) {
            throw new ArtifactStoreException("Failed to read " + describe(ref.key()), e);
        }
        return out.toByteArray();
    }

    /**
     * Copies an object that another tool wrote, such as a model a user uploaded, to its content key
     * and returns the reference of the copy. Unlike every other method, this one reads a key outside
     * the store's prefix, in any bucket the credentials can read, and needs no {@code sha256}
     * metadata: the bytes are hashed on their way to a temporary file in {@code workDir}, which is
     * deleted afterwards.
     *
     * @param expectedETag the entity tag the object must still have, without quotes; null to accept any
     * @return the reference of the copy; empty when no object exists at {@code key}
     * @throws ArtifactIntegrityException if the object's entity tag is not {@code expectedETag}, which
     *     means that it was replaced after the caller learned of it
     * @throws ArtifactStoreException if the download or the upload fails
     */
    public Optional<ArtifactRef> importObject(String bucket, String key, String expectedETag, Path workDir) {
        ArtifactKeys.requireValidKey(key, "key");
        String source = "s3://" + bucket + "/" + key;
        Path partial = null;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            String eTag = in.response().eTag() == null ? null : in.response().eTag().replace("\"", "");
            if (expectedETag != null && !expectedETag.equals(eTag)) {
                in.abort();
                throw new ArtifactIntegrityException("Object " + source + " has ETag " + eTag + ", expected "
                        + expectedETag + "; it was replaced after the event that named it");
            }
            requireWithinLimit(in.response().contentLength(), key);
            partial = Files.createTempFile(Files.createDirectories(workDir), "import-", ".part");
            String sha256;
            try (OutputStream out = Files.newOutputStream(partial)) {
                sha256 = copyHashing(in, out);
            }
            LOG.info("Imported {} as SHA-256 {}", source, sha256);
            return Optional.of(putFile(contentKey(sha256), partial, sha256));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new ArtifactStoreException("Failed to import " + source + " (HTTP " + e.statusCode() + ")", e);
        } catch (SdkException e) {
            throw new ArtifactStoreException("Failed to import " + source, e);
        } catch (IOException e) {
            throw new ArtifactStoreException("Failed to copy " + source + " to a temporary file in " + workDir, e);
        } finally {
            if (partial != null) {
                deleteQuietly(partial);
            }
        }
    }

    /** Deletes the object of {@code ref}; deleting a missing object is not an error. */
    public void delete(ArtifactRef ref) {
        requireInsidePrefix(ref.key());
        try {
            s3.deleteObject(b -> b.bucket(config.bucket()).key(ref.key()));
        } catch (SdkException e) {
            throw failure("delete", ref.key(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private ArtifactRef putFile(String key, Path file, String sha256) {
        long sizeBytes = size(file);
        requireWithinLimit(sizeBytes, key);
        ArtifactRef ref = new ArtifactRef(key, sha256, sizeBytes);
        if (alreadyStored(ref)) {
            return ref;
        }
        Map<String, String> metadata = Map.of(SHA256_METADATA, sha256);
        try {
            if (sizeBytes > config.multipartThresholdBytes()) {
                int parts = multipartUploader.upload(file, key, metadata);
                LOG.info("Uploaded {} ({} bytes) in {} parts", describe(key), sizeBytes, parts);
            } else {
                s3.putObject(b -> b.bucket(config.bucket()).key(key).metadata(metadata), RequestBody.fromFile(file));
                LOG.info("Uploaded {} ({} bytes)", describe(key), sizeBytes);
            }
        } catch (IOException e) {
            throw new ArtifactStoreException("Failed to read " + file + " for the upload to " + describe(key), e);
        } catch (SdkException e) {
            throw failure("upload " + file + " to", key, e);
        }
        return ref;
    }

    private ArtifactRef putBytes(String key, byte[] bytes, String sha256) {
        requireWithinLimit(bytes.length, key);
        ArtifactRef ref = new ArtifactRef(key, sha256, bytes.length);
        if (alreadyStored(ref)) {
            return ref;
        }
        try {
            s3.putObject(b -> b.bucket(config.bucket()).key(key).metadata(Map.of(SHA256_METADATA, sha256)), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("upload", key, e);
        }
        LOG.info("Uploaded {} ({} bytes)", describe(key), bytes.length);
        return ref;
    }

    private boolean alreadyStored(ArtifactRef ref) {
        boolean stored = head(ref.key()).filter(head -> matches(head, ref.sha256(), ref.sizeBytes())).isPresent();
        if (stored) {
            LOG.debug("Skipped the upload of {}: an object with SHA-256 {} exists", describe(ref.key()), ref.sha256());
        }
        return stored;
    }

    private static boolean matches(HeadObjectResponse head, String sha256, long sizeBytes) {
        return sha256.equals(head.metadata().get(SHA256_METADATA)) && head.contentLength() == sizeBytes;
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(config.bucket()).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("read the metadata of", key, e);
        } catch (SdkException e) {
            throw failure("read the metadata of", key, e);
        }
    }

    private ResponseInputStream<GetObjectResponse> getObject(String key) {
        try {
            return s3.getObject(b -> b.bucket(config.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("download", key, e);
        }
    }

    /**
     * Copies {@code in} to {@code out}, stopping with an {@link ArtifactIntegrityException} as soon
     * as more bytes than {@code ref.sizeBytes()} arrive; returns the SHA-256 of the copied bytes.
     */
    private String copyVerifyingSize(ResponseInputStream<GetObjectResponse> in, OutputStream out, ArtifactRef ref) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long copiedBytes = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            copiedBytes += read;
            if (copiedBytes > ref.sizeBytes()) {
                in.abort();
                throw new ArtifactIntegrityException("Object " + describe(ref.key()) + " is larger than the expected "
                        + ref.sizeBytes() + " bytes; it was replaced after the reference was made. Upload it again.");
            }
            digest.update(buffer, 0, read);
            out.write(buffer, 0, read);
        }
        if (copiedBytes != ref.sizeBytes()) {
            throw new ArtifactIntegrityException("Object " + describe(ref.key()) + " has " + copiedBytes
                    + " bytes, expected " + ref.sizeBytes() + "; it was replaced after the reference was made. Upload it again.");
        }
        return Sha256.hex(digest);
    }

    private static String copyHashing(ResponseInputStream<GetObjectResponse> in, OutputStream out) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, read);
            out.write(buffer, 0, read);
        }
        return Sha256.hex(digest);
    }

    private void requireHash(ArtifactRef ref, String actualSha256) {
        if (!actualSha256.equals(ref.sha256())) {
            throw new ArtifactIntegrityException("Object " + describe(ref.key()) + " has SHA-256 " + actualSha256
                    + ", expected " + ref.sha256() + "; the stored bytes were changed or corrupted. Upload the artifact again.");
        }
    }

    private void requireInsidePrefix(String key) {
        ArtifactKeys.requireValidKey(key, "key");
        if (!key.startsWith(config.prefix() + "/")) {
            throw new IllegalArgumentException("Invalid key '" + key + "': it is outside the store's prefix '" + config.prefix()
                    + "/'. Use a reference made by this store or a store with the same prefix.");
        }
    }

    private void requireWithinLimit(long sizeBytes, String key) {
        if (sizeBytes > config.maxObjectBytes()) {
            throw new IllegalArgumentException("Object " + describe(key) + " has " + sizeBytes + " bytes, more than maxObjectBytes "
                    + config.maxObjectBytes() + "; raise maxObjectBytes in ArtifactStoreConfig");
        }
    }

    private ArtifactStoreException failure(String operation, String key, SdkException e) {
        String hint = "";
        if (e instanceof S3Exception s3Exception) {
            int status = s3Exception.statusCode();
            hint = " (HTTP " + status + (status == 403
                    ? ": access denied; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for this endpoint)"
                    : ")");
        }
        return new ArtifactStoreException("Failed to " + operation + " " + describe(key) + " at " + config.endpoint() + hint, e);
    }

    private String describe(String key) {
        return "s3://" + config.bucket() + "/" + key;
    }

    private static String hash(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file + " to compute its SHA-256", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the size of " + file, e);
        }
    }

    private static void deleteQuietly(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            LOG.warn("Failed to delete the partial download {}", partial, e);
        }
    }
}

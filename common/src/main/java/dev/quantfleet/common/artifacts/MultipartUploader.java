package dev.quantfleet.common.artifacts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads one file with S3 multipart upload, one part after another, each part read into a heap
 * buffer of {@code partSizeBytes}. A failed upload is aborted so that S3 drops the parts.
 */
final class MultipartUploader {

    private static final Logger LOG = LoggerFactory.getLogger(MultipartUploader.class);

    private final S3Client s3;
    private final String bucket;
    private final long partSizeBytes;

    MultipartUploader(S3Client s3, String bucket, long partSizeBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSizeBytes = partSizeBytes;
    }

    /** Uploads {@code file} to {@code key} with the given user metadata; returns the number of parts. */
    int upload(Path file, String key, Map<String, String> metadata) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata)).uploadId();
        try {
            List<CompletedPart> parts = uploadParts(file, key, uploadId);
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            return parts.size();
        } catch (IOException | RuntimeException e) {
            abort(key, uploadId, e);
            throw e;
        }
    }

    private List<CompletedPart> uploadParts(Path file, String key, String uploadId) throws IOException {
        List<CompletedPart> parts = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(partSizeBytes));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int partNumber = 1;
            while (fill(channel, buffer) > 0) {
                buffer.flip();
                int number = partNumber;
                UploadPartResponse response = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength((long) buffer.remaining()), RequestBody.fromByteBuffer(buffer));
                parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag()).build());
                buffer.clear();
                partNumber++;
            }
        }
        return parts;
    }

    /** Reads until the buffer is full or the file ends; returns the number of bytes in the buffer. */
    private static int fill(FileChannel channel, ByteBuffer buffer) throws IOException {
        int read = 0;
        while (buffer.hasRemaining() && read >= 0) {
            read = channel.read(buffer);
        }
        return buffer.position();
    }

    private void abort(String key, String uploadId, Exception failure) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException abortFailure) {
            LOG.warn("Failed to abort the multipart upload {} of {}; its parts stay in bucket {} until a lifecycle rule removes them",
                    uploadId, key, bucket, abortFailure);
            failure.addSuppressed(abortFailure);
        }
    }
}

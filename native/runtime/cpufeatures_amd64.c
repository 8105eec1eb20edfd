/*
 * CPU features of the host, for a Substrate VM image on amd64 (AMD64LibCHelper in the builder's
 * sources jar). The image compares them against the features it was compiled for (-march) before
 * it runs any Java code, and uses them for run-time checked code paths.
 *
 * The struct comes from amd64cpufeatures.h, which native-check.sh derives from the @CField list
 * of AMD64LibCHelper.CPUFeatures: one byte per feature. A feature is reported only when both the
 * CPU (cpuid) and, for AVX and later register state, the operating system (xgetbv) enable it; a
 * feature left out here costs speed, one wrongly reported would be an illegal instruction.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amd64cpufeatures.h"

#define BIT(value, n) ((char) (((value) >> (n)) & 1u))

typedef struct {
    uint32_t eax, ebx, ecx, edx;
} registers;

static registers query(uint32_t leaf, uint32_t subleaf) {
    registers r = {0, 0, 0, 0};
    __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
    return r;
}

static uint64_t xcr0(void) {
    uint32_t low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((uint64_t) high << 32) | low;
}

void determineCPUFeatures(CPUFeatures *f) {
    memset(f, 0, sizeof(*f));
    uint32_t max_leaf = __get_cpuid_max(0, NULL);
    uint32_t max_extended = __get_cpuid_max(0x80000000u, NULL);
    if (max_leaf < 1) {
        return;
    }
    registers l1 = query(1, 0);
    registers l7 = max_leaf >= 7 ? query(7, 0) : (registers){0, 0, 0, 0};
    registers l7s1 = max_leaf >= 7 && l7.eax >= 1 ? query(7, 1) : (registers){0, 0, 0, 0};
    registers e1 = max_extended >= 0x80000001u ? query(0x80000001u, 0) : (registers){0, 0, 0, 0};
    registers e7 = max_extended >= 0x80000007u ? query(0x80000007u, 0) : (registers){0, 0, 0, 0};

    uint64_t os_state = BIT(l1.ecx, 27) ? xcr0() : 0;          /* OSXSAVE */
    int os_avx = (os_state & 0x6) == 0x6;                        /* XMM and YMM state */
    int os_avx512 = os_avx && (os_state & 0xe0) == 0xe0;         /* opmask, ZMM_Hi256, Hi16_ZMM */
    int os_apx = (os_state & (1u << 19)) != 0;                   /* extended GPR state */

    f->fCX8 = BIT(l1.edx, 8);
    f->fCMOV = BIT(l1.edx, 15);
    f->fFLUSH = BIT(l1.edx, 19);
    f->fMMX = BIT(l1.edx, 23);
    f->fFXSR = BIT(l1.edx, 24);
    f->fSSE = BIT(l1.edx, 25);
    f->fSSE2 = BIT(l1.edx, 26);
    f->fHT = BIT(l1.edx, 28);
    f->fTSC = BIT(l1.edx, 4);
    f->fSSE3 = BIT(l1.ecx, 0);
    f->fCLMUL = BIT(l1.ecx, 1);
    f->fSSSE3 = BIT(l1.ecx, 9);
    f->fSSE4_1 = BIT(l1.ecx, 19);
    f->fSSE4_2 = BIT(l1.ecx, 20);
    f->fPOPCNT = BIT(l1.ecx, 23);
    f->fAES = BIT(l1.ecx, 25);
    f->fHV = BIT(l1.ecx, 31);

    f->fLZCNT = BIT(e1.ecx, 5);
    f->fSSE4A = BIT(e1.ecx, 6);
    f->fAMD_3DNOW_PREFETCH = BIT(e1.ecx, 8);
    f->fRDTSCP = BIT(e1.edx, 27);
    f->fTSCINV_BIT = BIT(e7.edx, 8);
    f->fTSCINV = f->fTSCINV_BIT;

    f->fBMI1 = BIT(l7.ebx, 3);
    f->fBMI2 = BIT(l7.ebx, 8);
    f->fERMS = BIT(l7.ebx, 9);
    f->fRTM = BIT(l7.ebx, 11);
    f->fADX = BIT(l7.ebx, 19);
    f->fFLUSHOPT = BIT(l7.ebx, 23);
    f->fCLWB = BIT(l7.ebx, 24);
    f->fSHA = BIT(l7.ebx, 29);
    f->fPKU = BIT(l7.ecx, 3);
    f->fOSPKE = BIT(l7.ecx, 4);
    f->fCET_SS = BIT(l7.ecx, 7);
    f->fRDPID = BIT(l7.ecx, 22);
    f->fFSRM = BIT(l7.edx, 4);
    f->fSERIALIZE = BIT(l7.edx, 14);
    f->fCET_IBT = BIT(l7.edx, 20);

    if (os_avx) {
        f->fAVX = BIT(l1.ecx, 28);
        f->fVZEROUPPER = f->fAVX;
        f->fFMA = BIT(l1.ecx, 12);
        f->fF16C = BIT(l1.ecx, 29);
        f->fAVX2 = BIT(l7.ebx, 5);
        f->fGFNI = BIT(l7.ecx, 8);
        f->fSHA512 = BIT(l7s1.eax, 0);
        f->fAVX_IFMA = BIT(l7s1.eax, 23);
    }
    if (os_avx512) {
        f->fAVX512F = BIT(l7.ebx, 16);
        f->fAVX512DQ = BIT(l7.ebx, 17);
        f->fAVX512_IFMA = BIT(l7.ebx, 21);
        f->fAVX512PF = BIT(l7.ebx, 26);
        f->fAVX512ER = BIT(l7.ebx, 27);
        f->fAVX512CD = BIT(l7.ebx, 28);
        f->fAVX512BW = BIT(l7.ebx, 30);
        f->fAVX512VL = BIT(l7.ebx, 31);
        f->fAVX512_VBMI = BIT(l7.ecx, 1);
        f->fAVX512_VBMI2 = BIT(l7.ecx, 6);
        f->fAVX512_VAES = BIT(l7.ecx, 9);
        f->fAVX512_VPCLMULQDQ = BIT(l7.ecx, 10);
        f->fAVX512_VNNI = BIT(l7.ecx, 11);
        f->fAVX512_BITALG = BIT(l7.ecx, 12);
        f->fAVX512_VPOPCNTDQ = BIT(l7.ecx, 14);
        f->fAVX512_FP16 = BIT(l7.edx, 23);
        if (BIT(l7s1.edx, 19) && max_leaf >= 0x24) {
            uint32_t version = query(0x24, 0).ebx & 0xff;
            f->fAVX10_1 = version >= 1;
            f->fAVX10_2 = version >= 2;
        }
    }
    if (os_apx) {
        f->fAPX_F = BIT(l7s1.edx, 21);
    }
}

/*
 * 0 if the host has every feature the image needs. The mask holds the struct bitwise negated:
 * 0xfe where a feature is required, 0xff elsewhere, so host | mask is 0xff everywhere exactly
 * when nothing required is missing.
 */
int checkCPUFeatures(const unsigned char *buildtime_mask) {
    CPUFeatures host;
    determineCPUFeatures(&host);
    const unsigned char *present = (const unsigned char *) &host;
    for (size_t i = 0; i < sizeof(host); i++) {
        if ((unsigned char) (present[i] | buildtime_mask[i]) != 0xff) {
            return 1;
        }
    }
    return 0;
}

int checkCPUFeaturesOrExit(const unsigned char *buildtime_mask, const char *error_message) {
    if (checkCPUFeatures(buildtime_mask) != 0) {
        fputs(error_message, stderr);
        fputc('\n', stderr);
        exit(1);
    }
    return 0;
}
